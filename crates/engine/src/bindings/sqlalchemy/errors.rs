//! SQLAlchemy's exception classes (`sqlalchemy.exc`, `sqlalchemy.orm.exc`) and sqlite3's
//! (`exc.orig`), built once per interpreter, and ORM errors raised as them.

use std::collections::HashMap;
use std::rc::Rc;

use crate::orm::{DbapiKind, ErrorKind, OrmError};
use crate::script::{Class, ExcKind, Interpreter, Module, ModuleBuilder, PyErr, PyResult, Value};

/// (class name, module, base class name) in definition order; a base named here is one of
/// these classes, otherwise a builtin exception.
const SQLALCHEMY: &[(&str, &str, &str)] = &[
    ("SQLAlchemyError", "sqlalchemy.exc", "Exception"),
    ("ArgumentError", "sqlalchemy.exc", "SQLAlchemyError"),
    ("NoForeignKeysError", "sqlalchemy.exc", "ArgumentError"),
    ("AmbiguousForeignKeysError", "sqlalchemy.exc", "ArgumentError"),
    ("CircularDependencyError", "sqlalchemy.exc", "SQLAlchemyError"),
    ("CompileError", "sqlalchemy.exc", "SQLAlchemyError"),
    ("InvalidRequestError", "sqlalchemy.exc", "SQLAlchemyError"),
    ("NoResultFound", "sqlalchemy.exc", "InvalidRequestError"),
    ("MultipleResultsFound", "sqlalchemy.exc", "InvalidRequestError"),
    ("PendingRollbackError", "sqlalchemy.exc", "InvalidRequestError"),
    ("ResourceClosedError", "sqlalchemy.exc", "InvalidRequestError"),
    ("NoSuchTableError", "sqlalchemy.exc", "InvalidRequestError"),
    ("NoInspectionAvailable", "sqlalchemy.exc", "InvalidRequestError"),
    ("StatementError", "sqlalchemy.exc", "SQLAlchemyError"),
    ("DBAPIError", "sqlalchemy.exc", "StatementError"),
    ("InterfaceError", "sqlalchemy.exc", "DBAPIError"),
    ("DatabaseError", "sqlalchemy.exc", "DBAPIError"),
    ("DataError", "sqlalchemy.exc", "DatabaseError"),
    ("OperationalError", "sqlalchemy.exc", "DatabaseError"),
    ("IntegrityError", "sqlalchemy.exc", "DatabaseError"),
    ("InternalError", "sqlalchemy.exc", "DatabaseError"),
    ("ProgrammingError", "sqlalchemy.exc", "DatabaseError"),
    ("NotSupportedError", "sqlalchemy.exc", "DatabaseError"),
    ("DetachedInstanceError", "sqlalchemy.orm.exc", "SQLAlchemyError"),
    ("ObjectDeletedError", "sqlalchemy.orm.exc", "InvalidRequestError"),
    ("StaleDataError", "sqlalchemy.orm.exc", "SQLAlchemyError"),
    ("UnmappedError", "sqlalchemy.orm.exc", "InvalidRequestError"),
    ("UnmappedInstanceError", "sqlalchemy.orm.exc", "UnmappedError"),
    ("UnmappedClassError", "sqlalchemy.orm.exc", "UnmappedError"),
    // Warnings: SQLAlchemy's are builtin warning categories' subclasses.
    ("SAWarning", "sqlalchemy.exc", "RuntimeWarning"),
    ("SADeprecationWarning", "sqlalchemy.exc", "DeprecationWarning"),
    ("SAPendingDeprecationWarning", "sqlalchemy.exc", "PendingDeprecationWarning"),
    ("Base20DeprecationWarning", "sqlalchemy.exc", "SADeprecationWarning"),
    ("LegacyAPIWarning", "sqlalchemy.exc", "Base20DeprecationWarning"),
    ("MovedIn20Warning", "sqlalchemy.exc", "Base20DeprecationWarning"),
];

/// The DBAPI's own exceptions, as `exc.orig` carries them.
const SQLITE3: &[(&str, &str)] = &[
    ("Warning", "Exception"),
    ("Error", "Exception"),
    ("InterfaceError", "Error"),
    ("DatabaseError", "Error"),
    ("DataError", "DatabaseError"),
    ("OperationalError", "DatabaseError"),
    ("IntegrityError", "DatabaseError"),
    ("InternalError", "DatabaseError"),
    ("ProgrammingError", "DatabaseError"),
    ("NotSupportedError", "DatabaseError"),
];

/// The exception classes of one interpreter.
pub struct Exceptions {
    pub sqlalchemy: HashMap<&'static str, Rc<Class>>,
    pub sqlite3: HashMap<&'static str, Rc<Class>>,
}

impl Exceptions {
    /// The classes of this interpreter, built on first use.
    pub fn of(interp: &mut Interpreter) -> PyResult<Rc<Exceptions>> {
        if let Some(existing) = interp.extension::<Rc<Exceptions>>() {
            return Ok(existing.clone());
        }
        let builtin = |interp: &Interpreter, name: &str| {
            ExcKind::ALL.iter().find(|k| k.name() == name).map(|k| interp.exception_class(*k))
        };
        let mut sqlalchemy: HashMap<&'static str, Rc<Class>> = HashMap::new();
        for (name, module, base) in SQLALCHEMY {
            let base = match sqlalchemy.get(base) {
                Some(b) => b.clone(),
                None => builtin(interp, base).ok_or_else(|| PyErr::runtime_error(format!("no base {base}")))?,
            };
            sqlalchemy.insert(name, interp.new_exception_class(name, module, &base)?);
        }
        let mut sqlite3: HashMap<&'static str, Rc<Class>> = HashMap::new();
        for (name, base) in SQLITE3 {
            let base = match sqlite3.get(base) {
                Some(b) => b.clone(),
                None => builtin(interp, base).ok_or_else(|| PyErr::runtime_error(format!("no base {base}")))?,
            };
            sqlite3.insert(name, interp.new_exception_class(name, "sqlite3", &base)?);
        }
        let exceptions = Rc::new(Exceptions { sqlalchemy, sqlite3 });
        interp.insert_extension(exceptions.clone());
        Ok(exceptions)
    }

    pub fn class(&self, name: &str) -> Option<&Rc<Class>> {
        self.sqlalchemy.get(name)
    }

    /// A module holding the classes of `module` (`sqlalchemy.exc`, `sqlalchemy.orm.exc`).
    pub fn module(&self, module: &str) -> Rc<Module> {
        let mut builder = ModuleBuilder::new(module);
        for (name, owner, _) in SQLALCHEMY {
            // sqlalchemy.exc re-exports the ORM exceptions too, as SQLAlchemy does for most.
            if *owner == module || module == "sqlalchemy.exc" {
                if let Some(class) = self.sqlalchemy.get(name) {
                    builder = builder.class(class);
                }
            }
        }
        builder.build()
    }

    pub fn sqlite3_module(&self) -> Rc<Module> {
        let mut builder = ModuleBuilder::new("sqlite3");
        for (name, _) in SQLITE3 {
            if let Some(class) = self.sqlite3.get(name) {
                builder = builder.class(class);
            }
        }
        builder.build()
    }
}

/// The Python exception for an ORM error.
pub fn to_py_err(interp: &mut Interpreter, error: OrmError) -> PyErr {
    let builtin = match error.kind {
        ErrorKind::NotSupported => Some(ExcKind::NotImplementedError),
        ErrorKind::TypeError => Some(ExcKind::TypeError),
        ErrorKind::ValueError => Some(ExcKind::ValueError),
        ErrorKind::AttributeError => Some(ExcKind::AttributeError),
        ErrorKind::KeyError => Some(ExcKind::KeyError),
        ErrorKind::IndexError => Some(ExcKind::IndexError),
        ErrorKind::Host | ErrorKind::Preview => Some(ExcKind::RuntimeError),
        _ => None,
    };
    if let Some(kind) = builtin {
        return PyErr::new(kind, error.message);
    }
    if error.kind == ErrorKind::NotFound {
        return crate::bindings::web::http_error(interp, 404, Some(&error.message));
    }
    let exceptions = match Exceptions::of(interp) {
        Ok(e) => e,
        Err(e) => return e,
    };
    let Some(class) = exceptions.class(error.class_name()).cloned() else {
        return PyErr::runtime_error(error.message);
    };
    let instance = interp.new_exception(&class, vec![Value::str(&error.message)]);
    if let Some(orig) = &error.orig {
        let name = match orig.kind {
            DbapiKind::IntegrityError => "IntegrityError",
            DbapiKind::OperationalError => "OperationalError",
            DbapiKind::ProgrammingError => "ProgrammingError",
            DbapiKind::DataError => "DataError",
            DbapiKind::NotSupportedError => "NotSupportedError",
            DbapiKind::InterfaceError => "InterfaceError",
            DbapiKind::InternalError => "InternalError",
        };
        if let Some(orig_class) = exceptions.sqlite3.get(name) {
            let orig_instance = interp.new_exception(orig_class, vec![Value::str(&orig.message)]);
            instance.set_own("orig", Value::Instance(orig_instance));
        }
        instance.set_own("code", Value::str(orig.kind.code()));
    }
    PyErr::from_instance(instance)
}

/// An exception of a SQLAlchemy class by name (`InvalidRequestError`, ...).
/// Issue one of SQLAlchemy's warnings (`SAWarning`, `LegacyAPIWarning`...) through the
/// user's `warnings` filters, attributed to the user's line that called SQLAlchemy.
pub fn sqlalchemy_warning(interp: &mut Interpreter, class: &str, message: &str) -> PyResult<()> {
    let category = Exceptions::of(interp)?.class(class).cloned().ok_or_else(|| PyErr::runtime_error(format!("no warning class {class}")))?;
    crate::bindings::stdlib::warn(interp, &category, message)
}

pub fn sqlalchemy_error(interp: &mut Interpreter, class: &str, message: impl Into<String>) -> PyErr {
    match Exceptions::of(interp).map(|e| e.class(class).cloned()) {
        Ok(Some(class)) => PyErr::from_class(&class, message),
        Ok(None) => PyErr::runtime_error(message),
        Err(error) => error,
    }
}
