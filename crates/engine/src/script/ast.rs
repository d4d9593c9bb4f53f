//! The syntax tree the parser builds and the interpreter walks.
//!
//! Every node carries a [`Span`] (1-based lines, 0-based character columns, as
//! CPython's `ast` module reports them). Name nodes carry a [`Slot`] that the
//! scope resolver (`scope.rs`) fills in after parsing, so that evaluation never
//! looks a local variable up by name.

use std::rc::Rc;

use super::value::Value;

/// A position in the source: 1-based line, 0-based column counted in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// The source range of a node: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start, end: other.end }
    }
    pub fn line(&self) -> u32 {
        self.start.line
    }
}

/// Where the value of a name lives, decided by the scope resolver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Not resolved yet (only between parsing and resolution).
    Unresolved,
    /// A plain local variable of a function: index into the frame's locals.
    Local(u32),
    /// A variable shared with nested functions (own cell or captured free variable).
    Cell(u32),
    /// Module globals, then builtins.
    Global,
    /// Inside a class body: the class namespace, then globals, then builtins.
    ClassLocal,
    /// Inside a class body: the class namespace, then a free variable cell of an
    /// enclosing function.
    ClassCell(u32),
}

#[derive(Clone, Debug)]
pub struct Name {
    pub id: Rc<str>,
    pub slot: Slot,
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
}

impl BinOp {
    /// The operator as Python spells it (`+`, `//`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::MatMul => "@",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::BitAnd => "&",
        }
    }

    /// The special method name (`__add__`) and its reflected form (`__radd__`).
    pub fn dunder(self) -> (&'static str, &'static str) {
        match self {
            BinOp::Add => ("__add__", "__radd__"),
            BinOp::Sub => ("__sub__", "__rsub__"),
            BinOp::Mul => ("__mul__", "__rmul__"),
            BinOp::MatMul => ("__matmul__", "__rmatmul__"),
            BinOp::Div => ("__truediv__", "__rtruediv__"),
            BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__"),
            BinOp::Mod => ("__mod__", "__rmod__"),
            BinOp::Pow => ("__pow__", "__rpow__"),
            BinOp::LShift => ("__lshift__", "__rlshift__"),
            BinOp::RShift => ("__rshift__", "__rrshift__"),
            BinOp::BitOr => ("__or__", "__ror__"),
            BinOp::BitXor => ("__xor__", "__rxor__"),
            BinOp::BitAnd => ("__and__", "__rand__"),
        }
    }

    /// The in-place special method name (`__iadd__`).
    pub fn inplace_dunder(self) -> &'static str {
        match self {
            BinOp::Add => "__iadd__",
            BinOp::Sub => "__isub__",
            BinOp::Mul => "__imul__",
            BinOp::MatMul => "__imatmul__",
            BinOp::Div => "__itruediv__",
            BinOp::FloorDiv => "__ifloordiv__",
            BinOp::Mod => "__imod__",
            BinOp::Pow => "__ipow__",
            BinOp::LShift => "__ilshift__",
            BinOp::RShift => "__irshift__",
            BinOp::BitOr => "__ior__",
            BinOp::BitXor => "__ixor__",
            BinOp::BitAnd => "__iand__",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
    Invert,
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Not => "not",
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Invert => "~",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

/// `name=value` in a call, or `**value` when `name` is `None`.
#[derive(Debug)]
pub struct Keyword {
    pub name: Option<Rc<str>>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug)]
pub enum DictItem {
    Pair(Expr, Expr),
    /// `**mapping` inside a dict display.
    Unpack(Expr),
}

/// One piece of an f-string.
#[derive(Debug)]
pub enum FStringPart {
    Literal(Rc<str>),
    Field(Box<FormattedField>),
}

#[derive(Debug)]
pub struct FormattedField {
    pub value: Expr,
    /// `!r`, `!s` or `!a`.
    pub conversion: Option<char>,
    /// The format spec, itself an f-string (it may contain nested fields).
    pub spec: Option<Vec<FStringPart>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

impl CompKind {
    /// The code name CPython gives the comprehension's frame (`<listcomp>`).
    pub fn frame_name(self) -> &'static str {
        match self {
            CompKind::List => "<listcomp>",
            CompKind::Set => "<setcomp>",
            CompKind::Dict => "<dictcomp>",
            CompKind::Generator => "<genexpr>",
        }
    }
}

#[derive(Debug)]
pub struct CompFor {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Debug)]
pub struct Comprehension {
    pub kind: CompKind,
    /// The element (for dicts: the key).
    pub elt: Expr,
    /// For dict comprehensions: the value.
    pub value: Option<Expr>,
    pub generators: Vec<CompFor>,
    pub scope: Rc<ScopeInfo>,
}

#[derive(Debug)]
pub enum ExprKind {
    Constant(Value),
    Name(Name),
    FString(Vec<FStringPart>),
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    Set(Vec<Expr>),
    Dict(Vec<DictItem>),
    Starred(Box<Expr>),
    Attribute {
        value: Box<Expr>,
        attr: Rc<str>,
    },
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        keywords: Vec<Keyword>,
    },
    BinOp {
        left: Box<Expr>,
        op: BinOp,
        right: Box<Expr>,
    },
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Lambda(Rc<FunctionDef>),
    Comprehension(Rc<Comprehension>),
}

/// How a function's or comprehension's variables are laid out in its frame,
/// computed by the scope resolver.
#[derive(Debug, Default, Clone)]
pub struct ScopeInfo {
    /// Number of plain local slots (parameters come first).
    pub n_locals: u32,
    /// Names of the local slots, for error messages.
    pub local_names: Vec<Rc<str>>,
    /// Names of the cells: own cell variables first, then free variables.
    pub cell_names: Vec<Rc<str>>,
    /// Number of own cell variables (the rest of `cell_names` are free variables).
    pub n_own_cells: u32,
    /// For each free variable, the index of the cell in the enclosing frame.
    pub free_from_parent: Vec<u32>,
    /// Parameters that nested functions capture: (local slot, cell index).
    pub cell_params: Vec<(u32, u32)>,
    /// The cell holding `__class__` (for zero-argument `super()`), if any.
    pub class_cell: Option<u32>,
}

#[derive(Debug)]
pub struct Param {
    pub name: Rc<str>,
    pub annotation: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Params {
    /// How many of `args` are positional-only (before `/`).
    pub posonly: usize,
    pub args: Vec<Param>,
    /// Defaults of the last `defaults.len()` entries of `args`.
    pub defaults: Vec<Expr>,
    pub vararg: Option<Param>,
    pub kwonly: Vec<Param>,
    /// One entry per keyword-only parameter.
    pub kw_defaults: Vec<Option<Expr>>,
    pub kwarg: Option<Param>,
}

impl Params {
    /// All parameters in frame-slot order: positional, keyword-only, *args, **kwargs.
    pub fn all(&self) -> impl Iterator<Item = &Param> {
        self.args
            .iter()
            .chain(self.kwonly.iter())
            .chain(self.vararg.iter())
            .chain(self.kwarg.iter())
    }
}

#[derive(Debug)]
pub struct FunctionDef {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub params: Params,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub returns: Option<Expr>,
    pub is_lambda: bool,
    /// The span of the `def` line (the header), or of the whole lambda.
    pub span: Span,
    pub scope: Rc<ScopeInfo>,
    /// Where the function's name is bound in the enclosing scope.
    pub binding: Slot,
    /// The file the function was defined in (for tracebacks).
    pub file: Rc<str>,
    /// The docstring, when the body starts with a string literal.
    pub doc: Option<Rc<str>>,
}

#[derive(Debug)]
pub struct ClassDef {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub bases: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub scope: Rc<ScopeInfo>,
    /// Where the class's name is bound in the enclosing scope.
    pub binding: Slot,
    pub doc: Option<Rc<str>>,
}

#[derive(Debug)]
pub struct ExceptHandler {
    pub kind: Option<Expr>,
    pub name: Option<Name>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
}

#[derive(Debug)]
pub struct Alias {
    /// Dotted name for `import a.b`; plain name for `from x import name`.
    pub name: Rc<str>,
    pub asname: Option<Rc<str>>,
    /// Where the bound name lives (resolved like any other name).
    pub target: Name,
    pub span: Span,
}

#[derive(Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum StmtKind {
    Expr(Expr),
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
        /// True for a plain name target (stored in `__annotations__`).
        simple: bool,
    },
    FunctionDef(Rc<FunctionDef>),
    ClassDef(Rc<ClassDef>),
    Return(Option<Expr>),
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Break,
    Continue,
    Pass,
    Try {
        body: Vec<Stmt>,
        handlers: Vec<ExceptHandler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
    With {
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
    Import(Vec<Alias>),
    ImportFrom {
        module: Rc<str>,
        names: Vec<Alias>,
        /// `from x import *`
        star: bool,
    },
    Global(Vec<Rc<str>>),
    Nonlocal(Vec<Rc<str>>),
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    Delete(Vec<Expr>),
}

/// Whether a module or class body contains annotated assignments (outside
/// nested functions and classes), for which CPython creates `__annotations__`
/// before the body runs.
pub fn has_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::AnnAssign { .. } => true,
        StmtKind::If { body, orelse, .. } | StmtKind::For { body, orelse, .. } | StmtKind::While { body, orelse, .. } => has_annotations(body) || has_annotations(orelse),
        StmtKind::With { body, .. } => has_annotations(body),
        StmtKind::Try { body, handlers, orelse, finalbody } => {
            has_annotations(body) || handlers.iter().any(|h| has_annotations(&h.body)) || has_annotations(orelse) || has_annotations(finalbody)
        }
        _ => false,
    })
}

/// A parsed and resolved module (a script file or one console input).
#[derive(Debug)]
pub struct Module {
    pub body: Vec<Stmt>,
    pub file: Rc<str>,
}
