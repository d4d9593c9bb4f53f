//! A Python-subset interpreter (the part of Python 3.11 that Flask-SQLAlchemy
//! tutorials are written in), with an extension API for host-defined modules.
//!
//! Pipeline: [`lexer`] → [`parser`] → scope resolution → evaluation by the
//! [`Interpreter`]. Anything outside the subset is refused with a positioned
//! `SyntaxError` or `NotImplementedError` naming the construct.
//!
//! # Running code
//!
//! ```
//! use sqla_engine::script::Interpreter;
//!
//! let mut interp = Interpreter::new();
//! let app = interp.new_module("app", "app.py");
//! interp.run_module(&app, "x = [n * n for n in range(4)]\nprint(x)").unwrap();
//! assert_eq!(interp.take_output(), "[0, 1, 4, 9]\n");
//! // The console prints expression values, like `flask shell`.
//! interp.run_console(&app, "x[-1]").unwrap();
//! assert_eq!(interp.take_output(), "9\n");
//! ```
//!
//! # Extending: modules, classes, descriptors, exceptions
//!
//! A host registers modules by name; they are built on first import. Host
//! objects implement [`NativeObject`] (every method has a default); host
//! classes are built with [`ClassBuilder`] and may be subclassed in Python,
//! with [`ClassHooks`] called when that happens and when instances are made.
//! A [`NativeObject`] stored in a class namespace acts as a descriptor when
//! [`NativeObject::descriptor`] says so: `Cls.attr` calls `descr_get` with no
//! instance, `obj.attr` with the instance, `obj.attr = v` calls `descr_set`.
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use sqla_engine::script::{
//!     ClassBuilder, ClassHooks, DescriptorKind, ExcKind, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value,
//! };
//! use sqla_engine::script::value::{Class, Instance};
//!
//! /// A column: `Model.name` gives its name, `obj.name` reads the row state.
//! struct Column { name: String }
//!
//! /// Per-instance state the host attaches to each model object.
//! #[derive(Default)]
//! struct Row { values: RefCell<Vec<(String, Value)>> }
//!
//! impl NativeObject for Column {
//!     fn type_name(&self) -> &str { "Column" }
//!     fn descriptor(&self) -> DescriptorKind { DescriptorKind::Data }
//!     fn descr_get(&self, _: &mut Interpreter, this: &Value, instance: Option<&Value>, owner: &Rc<Class>) -> PyResult<Value> {
//!         let Some(obj) = instance.and_then(|i| i.as_instance()) else {
//!             return Ok(Value::from(format!("{}.{}", owner.name, self.name)));
//!         };
//!         let row = obj.native_state_as::<Row>().ok_or_else(|| PyErr::runtime_error("no row"))?;
//!         let values = row.values.borrow();
//!         Ok(values.iter().find(|(k, _)| *k == self.name).map_or(Value::None, |(_, v)| v.clone()))
//!     }
//!     fn descr_set(&self, _: &mut Interpreter, _: &Value, instance: &Value, value: Value) -> PyResult<()> {
//!         let row = instance.as_instance().and_then(|i| i.native_state_as::<Row>()).ok_or_else(|| PyErr::runtime_error("no row"))?;
//!         let mut values = row.values.borrow_mut();
//!         values.retain(|(k, _)| *k != self.name);
//!         values.push((self.name.clone(), value));
//!         Ok(())
//!     }
//! }
//!
//! /// Subclasses get their `Column(...)` placeholders named; instances get a Row.
//! struct ModelHooks;
//! impl ClassHooks for ModelHooks {
//!     fn init_subclass(&self, _: &mut Interpreter, cls: &Rc<Class>, _: &[(Rc<str>, Value)]) -> PyResult<()> {
//!         for (name, value) in cls.namespace() {
//!             if value.as_str() == Some("column") {
//!                 cls.set_attr(&name, Value::Native(Rc::new(Column { name: name.to_string() })));
//!             }
//!         }
//!         Ok(())
//!     }
//!     fn new_instance(&self, _: &mut Interpreter, instance: &Rc<Instance>) -> PyResult<()> {
//!         instance.set_native_state(Rc::new(Row::default()));
//!         Ok(())
//!     }
//! }
//!
//! let mut interp = Interpreter::new();
//! interp.register_module("toy", |interp| {
//!     let error = interp.new_exception_class("ToyError", "toy", &interp.exception_class(ExcKind::Exception))?;
//!     let model = ClassBuilder::new("Model", "toy")
//!         .method("__init__", |interp, args| {
//!             let this = args.receiver()?.clone();
//!             for (k, v) in args.kwargs {
//!                 interp.setattr(&this, &k, v)?;
//!             }
//!             Ok(Value::None)
//!         })
//!         .hooks(ModelHooks)
//!         .build(interp)?;
//!     let err = error.clone();
//!     Ok(ModuleBuilder::new("toy")
//!         .value("column", "column")
//!         .class(&model)
//!         .class(&error)
//!         .function("fail", move |_, _| Err(PyErr::from_class(&err, "toy failure")))
//!         .build())
//! });
//! let main = interp.new_module("__main__", "app.py");
//! interp.run_module(&main, r#"
//! from toy import Model, column, ToyError, fail
//! class User(Model):
//!     name = column
//! u = User(name="ada")
//! print(User.name, u.name)
//! try:
//!     fail()
//! except ToyError as e:
//!     print(type(e).__name__, e)
//! "#).unwrap();
//! assert_eq!(interp.take_output(), "User.name ada\nToyError toy failure\n");
//! ```
//!
//! Other entry points: [`Interpreter::preview`] (evaluate an expression with
//! side effects refused), [`Interpreter::completions`],
//! [`Interpreter::check_console_input`], [`highlight::highlight`], and
//! [`Interpreter::current_location`] for natives that log what they do.

pub mod ast;
mod builtins;
pub mod error;
pub mod format;
pub mod heap;
pub mod highlight;
mod interp;
pub mod lexer;
pub mod native;
pub mod parser;
mod scope;
mod stack;
pub mod syntax_error;
pub mod value;

pub use builtins::system_exit;
pub use error::{ChainLink, ExcKind, ExceptionReport, FrameReport, PyErr, PyResult, ScriptError, ScriptErrorKind};
pub use interp::{compile, iterator_from_values, repr_str, InputStatus, Interpreter, Limits, Location, ModuleFactory};
pub use native::{function, native_fn, CallArgs, ClassBuilder, ClassHooks, DescriptorKind, FromValue, FunctionBuilder, ModuleBuilder, NativeObject};
pub use syntax_error::{SyntaxErrorInfo, SyntaxErrorKind};
pub use value::{Class, Instance, Module, Value};
