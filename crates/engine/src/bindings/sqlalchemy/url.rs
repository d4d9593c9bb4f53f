//! `sqlalchemy.engine.URL`: what `create_engine()` and `make_url()` parse a database URL into
//! (`dialect+driver://username:password@host:port/database?key=value`), printed with the
//! password hidden as SQLAlchemy prints it.

use std::rc::Rc;

use crate::script::ast::CmpOp;
use crate::script::{CallArgs, Interpreter, NativeObject, PyResult, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Url {
    pub drivername: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub database: Option<String>,
    pub query: Vec<(String, String)>,
}

impl Url {
    /// Parses a URL as `sqlalchemy.engine.url.make_url` does; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Url> {
        let (drivername, rest) = text.split_once("://")?;
        let valid_name = !drivername.is_empty() && drivername.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+');
        if !valid_name {
            return None;
        }
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()),
            None => (rest, Vec::new()),
        };
        let (location, database) = match rest.split_once('/') {
            Some((location, database)) => (location, Some(database.to_owned())),
            None => (rest, None),
        };
        let (credentials, host_port) = match location.rsplit_once('@') {
            Some((credentials, host_port)) => (Some(credentials), host_port),
            None => (None, location),
        };
        let (username, password) = match credentials.map(|c| c.split_once(':').map_or((c, None), |(u, p)| (u, Some(p)))) {
            Some((user, password)) => (Some(percent_decode(user)), password.map(percent_decode)),
            None => (None, None),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() => (host, Some(port.parse().ok()?)),
            _ => (host_port, None),
        };
        Some(Url {
            drivername: drivername.to_owned(),
            username,
            password,
            host: (!host.is_empty()).then(|| host.to_owned()),
            port,
            database: database.filter(|d| !d.is_empty()),
            query,
        })
    }

    /// `URL.render_as_string(hide_password=True)`.
    pub fn render(&self, hide_password: bool) -> String {
        let mut out = format!("{}://", self.drivername);
        if let Some(user) = &self.username {
            out.push_str(user);
            if let Some(password) = &self.password {
                out.push(':');
                out.push_str(if hide_password { "***" } else { password });
            }
            out.push('@');
        }
        if let Some(host) = &self.host {
            out.push_str(host);
        }
        if let Some(port) = self.port {
            out.push_str(&format!(":{port}"));
        }
        if let Some(database) = &self.database {
            out.push('/');
            out.push_str(database);
        }
        if !self.query.is_empty() {
            let pairs: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push('?');
            out.push_str(&pairs.join("&"));
        }
        out
    }

    pub fn value(self) -> Value {
        Value::Native(Rc::new(self))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn optional_str(value: &Option<String>) -> Value {
    value.as_deref().map_or(Value::None, Value::str)
}

impl NativeObject for Url {
    fn type_name(&self) -> &str {
        "URL"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let backend = self.drivername.split('+').next().unwrap_or_default().to_owned();
        let driver = self.drivername.split_once('+').map(|(_, d)| d.to_owned());
        Ok(Some(match name {
            "drivername" => Value::str(&self.drivername),
            "username" => optional_str(&self.username),
            "password" => optional_str(&self.password),
            "host" => optional_str(&self.host),
            "port" => self.port.map_or(Value::None, Value::Int),
            "database" => optional_str(&self.database),
            "query" => Value::dict_from_str_pairs(self.query.iter().map(|(k, v)| (k.as_str(), Value::str(v)))),
            "get_backend_name" => crate::script::native_fn("get_backend_name", move |_, _| Ok(Value::str(&backend))),
            "get_driver_name" => {
                // SQLAlchemy names the default driver of a dialect when the URL gives none.
                let default = if backend == "sqlite" { Some("pysqlite".to_owned()) } else { None };
                let name = driver.or(default);
                crate::script::native_fn("get_driver_name", move |_, _| Ok(name.as_deref().map_or(Value::None, Value::str)))
            }
            "render_as_string" => {
                let url = this.clone();
                crate::script::native_fn("render_as_string", move |interp, args: CallArgs| {
                    let [hide] = args.bind("render_as_string", ["hide_password"], 0)?;
                    let hide = match hide {
                        Some(v) => interp.truthy(&v)?,
                        None => true,
                    };
                    let Some(url) = url.downcast_native::<Url>() else { return Ok(Value::None) };
                    Ok(Value::str(&url.render(hide)))
                })
            }
            _ => return Ok(None),
        }))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.render(true))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.render(true))
    }

    fn compare(&self, _interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let equal = other.downcast_native::<Url>().is_some_and(|o| *o == *self);
        Ok(match op {
            CmpOp::Eq => Some(Value::Bool(equal)),
            CmpOp::NotEq => Some(Value::Bool(!equal)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Url;

    #[test]
    fn parses_and_renders_like_sqlalchemy() {
        let url = Url::parse("postgresql+psycopg2://scott:tiger@db.example:5432/shop?sslmode=require").unwrap();
        assert_eq!(url.drivername, "postgresql+psycopg2");
        assert_eq!((url.username.as_deref(), url.password.as_deref()), (Some("scott"), Some("tiger")));
        assert_eq!((url.host.as_deref(), url.port, url.database.as_deref()), (Some("db.example"), Some(5432), Some("shop")));
        assert_eq!(url.render(true), "postgresql+psycopg2://scott:***@db.example:5432/shop?sslmode=require");
        let memory = Url::parse("sqlite://").unwrap();
        assert_eq!((memory.render(true), memory.host, memory.database), ("sqlite://".to_owned(), None, None));
        assert_eq!(Url::parse("sqlite:///site.db").unwrap().database.as_deref(), Some("site.db"));
        assert_eq!(Url::parse("not a url"), None);
        assert_eq!(Url::parse("mysql://u:p@h:notaport/db"), None);
    }
}
