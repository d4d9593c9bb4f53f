//! `werkzeug.exceptions`: the HTTP errors (`abort(404)` raises `NotFound`,
//! printed `404 Not Found: The requested URL was not found on the server...`),
//! and `werkzeug.routing`'s `BuildError`.

use std::rc::Rc;

use crate::script::value::Class;
use crate::script::{CallArgs, ClassBuilder, ExcKind, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::super::stdlib::native::{cached, skip_receiver, ComputedAttr};

/// (code, class name, description) of every werkzeug HTTP error.
const ERRORS: &[(u16, &str, &str)] = &[
    (400, "BadRequest", "The browser (or proxy) sent a request that this server could not understand."),
    (401, "Unauthorized", "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required."),
    (403, "Forbidden", "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."),
    (404, "NotFound", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
    (405, "MethodNotAllowed", "The method is not allowed for the requested URL."),
    (406, "NotAcceptable", "The resource identified by the request is only capable of generating response entities which have content characteristics not acceptable according to the accept headers sent in the request."),
    (408, "RequestTimeout", "The server closed the network connection because the browser didn't finish the request within the specified time."),
    (409, "Conflict", "A conflict happened while processing the request. The resource might have been modified while the request was being processed."),
    (410, "Gone", "The requested URL is no longer available on this server and there is no forwarding address. If you followed a link from a foreign page, please contact the author of this page."),
    (411, "LengthRequired", "A request with this method requires a valid <code>Content-Length</code> header."),
    (412, "PreconditionFailed", "The precondition on the request for the URL failed positive evaluation."),
    (413, "RequestEntityTooLarge", "The data value transmitted exceeds the capacity limit."),
    (414, "RequestURITooLarge", "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed."),
    (415, "UnsupportedMediaType", "The server does not support the media type transmitted in the request."),
    (416, "RequestedRangeNotSatisfiable", "The server cannot provide the requested range."),
    (417, "ExpectationFailed", "The server could not meet the requirements of the Expect header"),
    (418, "ImATeapot", "This server is a teapot, not a coffee machine"),
    (421, "MisdirectedRequest", "The server is not able to produce a response."),
    (422, "UnprocessableEntity", "The request was well-formed but was unable to be followed due to semantic errors."),
    (423, "Locked", "The resource that is being accessed is locked."),
    (424, "FailedDependency", "The method could not be performed on the resource because the requested action depended on another action and that action failed."),
    (428, "PreconditionRequired", "This request is required to be conditional; try using \"If-Match\" or \"If-Unmodified-Since\"."),
    (429, "TooManyRequests", "This user has exceeded an allotted request count. Try again later."),
    (431, "RequestHeaderFieldsTooLarge", "One or more header fields exceeds the maximum size."),
    (451, "UnavailableForLegalReasons", "Unavailable for legal reasons."),
    (500, "InternalServerError", "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."),
    (501, "NotImplemented", "The server does not support the action requested by the browser."),
    (502, "BadGateway", "The proxy server received an invalid response from an upstream server."),
    (503, "ServiceUnavailable", "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."),
    (504, "GatewayTimeout", "The connection to an upstream server timed out."),
    (505, "HTTPVersionNotSupported", "The server does not support the HTTP protocol version used in the request."),
];

/// werkzeug's reason phrases (`HTTP_STATUS_CODES`).
pub(crate) fn reason(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        306 => "Switch Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        449 => "Retry With",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Failed",
        _ => "Unknown Error",
    }
}

pub(crate) struct HttpErrors {
    pub http_exception: Rc<Class>,
    /// The class for each code of [`ERRORS`], in order.
    by_code: Vec<(u16, Rc<Class>)>,
    pub bad_request_key_error: Rc<Class>,
    pub build_error: Rc<Class>,
}

impl HttpErrors {
    pub fn class_for(&self, code: u16) -> Option<&Rc<Class>> {
        self.by_code.iter().find(|(c, _)| *c == code).map(|(_, cls)| cls)
    }
}

pub(crate) fn classes(interp: &mut Interpreter) -> PyResult<Rc<HttpErrors>> {
    cached(interp, |interp| {
        let exception = interp.exception_class(ExcKind::Exception);
        let http_exception = ClassBuilder::new("HTTPException", "werkzeug.exceptions")
            .base(&exception)
            .attr("code", Value::None)
            .attr("description", Value::None)
            .attr(
                "name",
                ComputedAttr::value(
                    "name",
                    |interp, this, owner| {
                        let code = match this {
                            Some(obj) => interp.getattr(obj, "code")?,
                            None => owner.lookup("code").unwrap_or(Value::None),
                        };
                        Ok(Value::str(code.as_int().map_or("Unknown Error", |c| reason(c as u16))))
                    },
                    None,
                ),
            )
            .method("__init__", |interp, mut args| {
                let this = args.receiver()?.clone();
                skip_receiver(&mut args);
                let [description, response] = args.bind("HTTPException.__init__", ["description", "response"], 0)?;
                if let Some(d) = description.filter(|d| !d.is_none()) {
                    interp.setattr(&this, "description", d)?;
                }
                interp.setattr(&this, "response", response.unwrap_or(Value::None))?;
                Ok(Value::None)
            })
            .method("__str__", |interp, args| {
                let this = args.receiver()?.clone();
                let code = interp.getattr(&this, "code")?;
                let code = if code.is_none() { "???".to_string() } else { interp.str(&code)? };
                let name = interp.getattr(&this, "name")?;
                let description = interp.getattr(&this, "description")?;
                Ok(Value::string(format!("{code} {}: {}", interp.str(&name)?, interp.str(&description)?)))
            })
            .method("__repr__", |interp, args| {
                let this = args.receiver()?.clone();
                let code = interp.getattr(&this, "code")?;
                let code = if code.is_none() { "???".to_string() } else { interp.str(&code)? };
                let name = interp.getattr(&this, "name")?;
                Ok(Value::string(format!("<{} '{code}: {}'>", this.type_name(), interp.str(&name)?)))
            })
            .build(interp)?;
        let mut by_code = Vec::with_capacity(ERRORS.len());
        for (code, name, description) in ERRORS {
            let cls =
                ClassBuilder::new(name, "werkzeug.exceptions").base(&http_exception).attr("code", Value::Int(i64::from(*code))).attr("description", *description).build(interp)?;
            by_code.push((*code, cls));
        }
        let bad_request = by_code.first().map(|(_, c)| c.clone()).ok_or_else(|| PyErr::runtime_error("no BadRequest class"))?;
        let bad_request_key_error =
            ClassBuilder::new("BadRequestKeyError", "werkzeug.exceptions").base(&bad_request).base(&interp.exception_class(ExcKind::KeyError)).build(interp)?;
        let lookup = interp.exception_class(ExcKind::LookupError);
        let routing = interp.new_exception_class("RoutingException", "werkzeug.routing.exceptions", &exception)?;
        let build_error = ClassBuilder::new("BuildError", "werkzeug.routing.exceptions").base(&routing).base(&lookup).build(interp)?;
        Ok(Rc::new(HttpErrors { http_exception, by_code, bad_request_key_error, build_error }))
    })
}

/// The HTTP error for `code` (`abort(404)`), with `description` replacing the
/// class's when given; `LookupError: no exception for 999` for unknown codes.
pub fn http_error(interp: &mut Interpreter, code: u16, description: Option<&str>) -> PyErr {
    let errors = match classes(interp) {
        Ok(e) => e,
        Err(e) => return e,
    };
    let Some(cls) = errors.class_for(code).cloned() else {
        return PyErr::new(ExcKind::LookupError, format!("no exception for {code}"));
    };
    let exc = interp.new_exception(&cls, Vec::new());
    if let Some(d) = description {
        exc.set_own("description", Value::str(d));
    }
    exc.set_own("response", Value::None);
    PyErr::from_instance(exc)
}

/// `abort(status, *args, **kwargs)`.
pub(crate) fn abort(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let mut positional = args.args.into_iter();
    let Some(status) = positional.next() else {
        return Err(PyErr::type_error("abort() missing 1 required positional argument: 'status'"));
    };
    let errors = classes(interp)?;
    let Some(code) = status.as_int() else {
        // `abort(response)`: an HTTPException carrying that response.
        let exc = interp.new_exception(&errors.http_exception, Vec::new());
        exc.set_own("response", status);
        return Err(PyErr::from_instance(exc));
    };
    let Some(cls) = u16::try_from(code).ok().and_then(|c| errors.class_for(c)).cloned() else {
        let shown = interp.repr(&status)?;
        return Err(PyErr::new(ExcKind::LookupError, format!("no exception for {shown}")));
    };
    let exc = interp.call(&Value::Class(cls), positional.collect(), args.kwargs)?;
    match exc {
        Value::Instance(inst) => Err(PyErr::from_instance(inst)),
        _ => Err(PyErr::runtime_error("abort() could not build its exception")),
    }
}

/// `werkzeug.exceptions` as a module.
pub(crate) fn module(interp: &mut Interpreter) -> PyResult<Rc<crate::script::Module>> {
    let errors = classes(interp)?;
    let mut m = ModuleBuilder::new("werkzeug.exceptions").class(&errors.http_exception).class(&errors.bad_request_key_error).function("abort", abort);
    for (_, cls) in &errors.by_code {
        m = m.class(cls);
    }
    Ok(m.build())
}
