//! Scope resolution: decides, as CPython's symbol table does, whether each name
//! is a local, a cell shared with nested functions, a free variable, a global
//! or (in class bodies) a namespace entry, and lays out frame slots so that
//! evaluation indexes locals instead of looking names up.
//!
//! Pass 1 (`Mode::Collect`) records bindings and uses per scope and checks
//! placement errors (`'return' outside function`...). Pass 2 (`analyze`)
//! propagates free variables up and decides cells. Pass 3 (`Mode::Annotate`)
//! walks the tree again in the same order and writes slots into name nodes.

use std::collections::HashSet;
use std::rc::Rc;

use super::ast::*;
use super::stack::StackGuard;
use super::syntax_error::{SyntaxErrorInfo, SyntaxErrorKind};
use super::value::attrmap::FxHashMap;

const ASSIGNED: u8 = 1;
const PARAM: u8 = 2;
const GLOBAL: u8 = 4;
const NONLOCAL: u8 = 8;
const USED: u8 = 16;

/// Native stack the resolver may use (the parser already bounds nesting).
const RESOLVER_STACK_BYTES: usize = 512 * 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ScopeKind {
    Module,
    Function,
    Class,
    Comprehension,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Local,
    Cell,
    Free,
    GlobalExplicit,
    GlobalImplicit,
    ClassLocal,
}

struct ScopeData {
    kind: ScopeKind,
    parent: Option<usize>,
    children: Vec<usize>,
    order: Vec<Rc<str>>,
    flags: FxHashMap<Rc<str>, u8>,
    params: Vec<Rc<str>>,
    /// Where each `nonlocal` name was declared (for the "no binding" error).
    nonlocal_spans: FxHashMap<Rc<str>, Span>,
    kinds: FxHashMap<Rc<str>, Kind>,
    /// Free variables, including those only passed through to children.
    frees: Vec<Rc<str>>,
    own_cells: Vec<Rc<str>>,
    /// Class scopes: whether nested functions need the `__class__` cell.
    class_cell: bool,
    layout: FxHashMap<Rc<str>, Slot>,
    info: ScopeInfo,
    qualname: Rc<str>,
}

impl ScopeData {
    fn new(kind: ScopeKind, parent: Option<usize>, qualname: Rc<str>) -> Self {
        ScopeData {
            kind,
            parent,
            children: Vec::new(),
            order: Vec::new(),
            flags: FxHashMap::default(),
            params: Vec::new(),
            nonlocal_spans: FxHashMap::default(),
            kinds: FxHashMap::default(),
            frees: Vec::new(),
            own_cells: Vec::new(),
            class_cell: false,
            layout: FxHashMap::default(),
            info: ScopeInfo::default(),
            qualname,
        }
    }

    fn add(&mut self, name: &Rc<str>, flag: u8) {
        match self.flags.get_mut(name) {
            Some(f) => *f |= flag,
            None => {
                self.order.push(name.clone());
                self.flags.insert(name.clone(), flag);
            }
        }
    }

    fn flag(&self, name: &str) -> u8 {
        self.flags.get(name).copied().unwrap_or(0)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Collect,
    Annotate,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Load,
    Store,
}

struct Resolver {
    scopes: Vec<ScopeData>,
    mode: Mode,
    /// The scope being walked.
    current: usize,
    /// Pre-order counter over scopes (pass 3 revisits them in the same order).
    next_scope: usize,
    /// Loop nesting within the current function (for break/continue checks).
    loops: usize,
    guard: StackGuard,
    file: Rc<str>,
}

type RResult<T> = Result<T, Box<SyntaxErrorInfo>>;

fn error(msg: impl Into<String>, span: Span) -> Box<SyntaxErrorInfo> {
    // Errors found here are shown without the source line for console input,
    // as CPython's compiler does (the caller fills it in for script files).
    Box::new(SyntaxErrorInfo::new(
        SyntaxErrorKind::SyntaxError,
        msg,
        span.start.line,
        span.start.col as i32 + 1,
        span.end.line,
        span.end.col as i32 + 1,
    ))
}

/// Resolve every name of a parsed module in place.
pub fn resolve_module(module: &mut Module) -> Result<(), Box<SyntaxErrorInfo>> {
    let mut r = Resolver {
        scopes: vec![ScopeData::new(ScopeKind::Module, None, Rc::from(""))],
        mode: Mode::Collect,
        current: 0,
        next_scope: 1,
        loops: 0,
        guard: StackGuard::new(RESOLVER_STACK_BYTES),
        file: module.file.clone(),
    };
    r.block(&mut module.body)?;
    r.analyze(0, &HashSet::new())?;
    r.layout(0);
    r.mode = Mode::Annotate;
    r.current = 0;
    r.next_scope = 1;
    r.block(&mut module.body)?;
    Ok(())
}

impl Resolver {
    fn scope(&mut self) -> &mut ScopeData {
        &mut self.scopes[self.current]
    }

    fn check_stack(&self, span: Span) -> RResult<()> {
        if self.guard.exceeded() {
            let mut e = error("maximum recursion depth exceeded during compilation", span);
            e.kind = SyntaxErrorKind::TooDeep;
            return Err(e);
        }
        Ok(())
    }

    /// Enter a nested scope (pass 1 creates it; pass 3 finds it by order).
    fn push_scope(&mut self, kind: ScopeKind, name: &str) -> usize {
        let parent = self.current;
        let id = match self.mode {
            Mode::Collect => {
                let parent_q = self.scopes[parent].qualname.clone();
                let qual = match self.scopes[parent].kind {
                    ScopeKind::Module => name.to_string(),
                    ScopeKind::Class => format!("{parent_q}.{name}"),
                    ScopeKind::Function | ScopeKind::Comprehension => format!("{parent_q}.<locals>.{name}"),
                };
                let id = self.scopes.len();
                self.scopes.push(ScopeData::new(kind, Some(parent), Rc::from(qual.as_str())));
                self.scopes[parent].children.push(id);
                id
            }
            Mode::Annotate => self.next_scope,
        };
        self.next_scope = id + 1;
        self.current = id;
        id
    }

    fn name(&mut self, name: &mut Name, ctx: Ctx) -> RResult<()> {
        match self.mode {
            Mode::Collect => {
                let flag = if ctx == Ctx::Store { ASSIGNED } else { USED };
                self.scope().add(&name.id, flag);
                // Zero-argument `super()` needs the `__class__` cell of the class body.
                if &*name.id == "super" && ctx == Ctx::Load && self.scope().kind == ScopeKind::Function {
                    self.scope().add(&Rc::from("__class__"), USED);
                }
            }
            Mode::Annotate => {
                name.slot = self.scopes[self.current].layout.get(&name.id).copied().unwrap_or(match self.scopes[self.current].kind {
                    ScopeKind::Class => Slot::ClassLocal,
                    _ => Slot::Global,
                });
            }
        }
        Ok(())
    }

    fn block(&mut self, body: &mut [Stmt]) -> RResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &mut Stmt) -> RResult<()> {
        self.check_stack(s.span)?;
        let span = s.span;
        match &mut s.kind {
            StmtKind::Expr(e) => self.expr(e)?,
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for t in targets {
                    self.target(t)?;
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(value)?;
                // The target is read then written.
                if let ExprKind::Name(n) = &mut target.kind {
                    self.name(n, Ctx::Load)?;
                }
                self.target(target)?;
            }
            StmtKind::AnnAssign { target, annotation, value, .. } => {
                if let Some(v) = value {
                    self.expr(v)?;
                }
                // Annotations of function locals are never evaluated.
                if self.scopes[self.current].kind != ScopeKind::Function {
                    self.expr(annotation)?;
                }
                self.target(target)?;
            }
            StmtKind::FunctionDef(def) => {
                let Some(def) = Rc::get_mut(def) else { return Err(error("internal error: shared syntax tree", span)) };
                for d in &mut def.decorators {
                    self.expr(d)?;
                }
                self.function(def)?;
                let mut n = Name { id: def.name.clone(), slot: Slot::Unresolved };
                self.name(&mut n, Ctx::Store)?;
                def.binding = n.slot;
            }
            StmtKind::ClassDef(def) => {
                let Some(def) = Rc::get_mut(def) else { return Err(error("internal error: shared syntax tree", span)) };
                for d in &mut def.decorators {
                    self.expr(d)?;
                }
                for b in &mut def.bases {
                    self.expr(b)?;
                }
                for k in &mut def.keywords {
                    self.expr(&mut k.value)?;
                }
                self.class(def)?;
                let mut n = Name { id: def.name.clone(), slot: Slot::Unresolved };
                self.name(&mut n, Ctx::Store)?;
                def.binding = n.slot;
            }
            StmtKind::Return(value) => {
                if matches!(self.scopes[self.current].kind, ScopeKind::Module | ScopeKind::Class) && self.mode == Mode::Collect {
                    return Err(error("'return' outside function", span));
                }
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                self.block(body)?;
                self.block(orelse)?;
            }
            StmtKind::For { target, iter, body, orelse } => {
                self.expr(iter)?;
                self.target(target)?;
                self.loops += 1;
                self.block(body)?;
                self.loops -= 1;
                self.block(orelse)?;
            }
            StmtKind::While { test, body, orelse } => {
                self.expr(test)?;
                self.loops += 1;
                self.block(body)?;
                self.loops -= 1;
                self.block(orelse)?;
            }
            StmtKind::Break => {
                if self.loops == 0 && self.mode == Mode::Collect {
                    return Err(error("'break' outside loop", span));
                }
            }
            StmtKind::Continue => {
                if self.loops == 0 && self.mode == Mode::Collect {
                    return Err(error("'continue' not properly in loop", span));
                }
            }
            StmtKind::Pass => {}
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.block(body)?;
                for h in handlers {
                    if let Some(k) = &mut h.kind {
                        self.expr(k)?;
                    }
                    if let Some(n) = &mut h.name {
                        self.name(n, Ctx::Store)?;
                    }
                    self.block(&mut h.body)?;
                }
                self.block(orelse)?;
                self.block(finalbody)?;
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e)?;
                }
                if let Some(c) = cause {
                    self.expr(c)?;
                }
            }
            StmtKind::With { items, body } => {
                for item in items {
                    self.expr(&mut item.context)?;
                    if let Some(t) = &mut item.target {
                        self.target(t)?;
                    }
                }
                self.block(body)?;
            }
            StmtKind::Import(names) => {
                for a in names {
                    self.name(&mut a.target, Ctx::Store)?;
                }
            }
            StmtKind::ImportFrom { names, star, .. } => {
                if *star && self.scopes[self.current].kind != ScopeKind::Module && self.mode == Mode::Collect {
                    return Err(error("import * only allowed at module level", span));
                }
                for a in names {
                    self.name(&mut a.target, Ctx::Store)?;
                }
            }
            StmtKind::Global(names) => {
                if self.mode == Mode::Collect {
                    for n in names.iter() {
                        let scope = &mut self.scopes[self.current];
                        let f = scope.flag(n);
                        if f & PARAM != 0 {
                            return Err(error(format!("name '{n}' is parameter and global"), span));
                        }
                        if f & NONLOCAL != 0 {
                            return Err(error(format!("name '{n}' is nonlocal and global"), span));
                        }
                        if f & ASSIGNED != 0 && scope.kind != ScopeKind::Module {
                            return Err(error(format!("name '{n}' is assigned to before global declaration"), span));
                        }
                        if f & USED != 0 && scope.kind != ScopeKind::Module {
                            return Err(error(format!("name '{n}' is used prior to global declaration"), span));
                        }
                        scope.add(n, GLOBAL);
                    }
                }
            }
            StmtKind::Nonlocal(names) => {
                if self.mode == Mode::Collect {
                    if self.scopes[self.current].kind == ScopeKind::Module {
                        return Err(error("nonlocal declaration not allowed at module level", span));
                    }
                    for n in names.iter() {
                        let scope = &mut self.scopes[self.current];
                        let f = scope.flag(n);
                        if f & PARAM != 0 {
                            return Err(error(format!("name '{n}' is parameter and nonlocal"), span));
                        }
                        if f & GLOBAL != 0 {
                            return Err(error(format!("name '{n}' is nonlocal and global"), span));
                        }
                        if f & ASSIGNED != 0 {
                            return Err(error(format!("name '{n}' is assigned to before nonlocal declaration"), span));
                        }
                        if f & USED != 0 {
                            return Err(error(format!("name '{n}' is used prior to nonlocal declaration"), span));
                        }
                        scope.add(n, NONLOCAL);
                        scope.nonlocal_spans.insert(n.clone(), span);
                    }
                }
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                if let Some(m) = msg {
                    self.expr(m)?;
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.target(t)?;
                }
            }
        }
        Ok(())
    }

    fn function(&mut self, def: &mut FunctionDef) -> RResult<()> {
        for d in &mut def.params.defaults {
            self.expr(d)?;
        }
        for d in def.params.kw_defaults.iter_mut().flatten() {
            self.expr(d)?;
        }
        if !def.is_lambda {
            for p in def.params.args.iter_mut().chain(def.params.kwonly.iter_mut()).chain(def.params.vararg.iter_mut()).chain(def.params.kwarg.iter_mut()) {
                if let Some(a) = &mut p.annotation {
                    self.expr(a)?;
                }
            }
            if let Some(r) = &mut def.returns {
                self.expr(r)?;
            }
        }
        let saved = (self.current, self.loops);
        let id = self.push_scope(ScopeKind::Function, &def.name);
        self.loops = 0;
        if self.mode == Mode::Collect {
            let names: Vec<(Rc<str>, Span)> = def.params.all().map(|p| (p.name.clone(), p.span)).collect();
            for (n, span) in names {
                let scope = &mut self.scopes[id];
                if scope.flag(&n) & PARAM != 0 {
                    return Err(error(format!("duplicate argument '{n}' in function definition"), span));
                }
                scope.add(&n, PARAM);
                scope.params.push(n);
            }
        }
        self.block(&mut def.body)?;
        if self.mode == Mode::Annotate {
            def.scope = Rc::new(self.scopes[id].info.clone());
            def.qualname = self.scopes[id].qualname.clone();
            def.file = self.file.clone();
        }
        (self.current, self.loops) = saved;
        Ok(())
    }

    fn class(&mut self, def: &mut ClassDef) -> RResult<()> {
        let saved = (self.current, self.loops);
        let id = self.push_scope(ScopeKind::Class, &def.name);
        self.loops = 0;
        self.block(&mut def.body)?;
        if self.mode == Mode::Annotate {
            def.scope = Rc::new(self.scopes[id].info.clone());
            def.qualname = self.scopes[id].qualname.clone();
        }
        (self.current, self.loops) = saved;
        Ok(())
    }

    fn target(&mut self, e: &mut Expr) -> RResult<()> {
        match &mut e.kind {
            ExprKind::Name(n) => self.name(n, Ctx::Store),
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                for elt in elts {
                    self.target(elt)?;
                }
                Ok(())
            }
            ExprKind::Starred(inner) => self.target(inner),
            _ => self.expr(e),
        }
    }

    fn expr(&mut self, e: &mut Expr) -> RResult<()> {
        self.check_stack(e.span)?;
        let span = e.span;
        match &mut e.kind {
            ExprKind::Constant(_) => {}
            ExprKind::Name(n) => self.name(n, Ctx::Load)?,
            ExprKind::FString(parts) => self.fstring(parts)?,
            ExprKind::Tuple(elts) | ExprKind::List(elts) | ExprKind::Set(elts) => {
                for x in elts {
                    self.expr(x)?;
                }
            }
            ExprKind::Dict(items) => {
                for item in items {
                    match item {
                        DictItem::Pair(k, v) => {
                            self.expr(k)?;
                            self.expr(v)?;
                        }
                        DictItem::Unpack(m) => self.expr(m)?,
                    }
                }
            }
            ExprKind::Starred(inner) => self.expr(inner)?,
            ExprKind::Attribute { value, .. } => self.expr(value)?,
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.expr(part)?;
                }
            }
            ExprKind::Call { func, args, keywords } => {
                self.expr(func)?;
                for a in args {
                    self.expr(a)?;
                }
                for k in keywords {
                    self.expr(&mut k.value)?;
                }
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)?;
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand)?,
            ExprKind::BoolOp { values, .. } => {
                for v in values {
                    self.expr(v)?;
                }
            }
            ExprKind::Compare { left, ops } => {
                self.expr(left)?;
                for (_, r) in ops {
                    self.expr(r)?;
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)?;
            }
            ExprKind::Lambda(def) => {
                let Some(def) = Rc::get_mut(def) else { return Err(error("internal error: shared syntax tree", span)) };
                self.function(def)?;
            }
            ExprKind::Comprehension(comp) => {
                let Some(comp) = Rc::get_mut(comp) else { return Err(error("internal error: shared syntax tree", span)) };
                self.comprehension(comp)?;
            }
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &mut [FStringPart]) -> RResult<()> {
        for p in parts {
            if let FStringPart::Field(f) = p {
                self.expr(&mut f.value)?;
                if let Some(spec) = &mut f.spec {
                    self.fstring(spec)?;
                }
            }
        }
        Ok(())
    }

    fn comprehension(&mut self, comp: &mut Comprehension) -> RResult<()> {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = comp.generators.first_mut() {
            self.expr(&mut first.iter)?;
        }
        let saved = (self.current, self.loops);
        let id = self.push_scope(ScopeKind::Comprehension, comp.kind.frame_name());
        for (k, g) in comp.generators.iter_mut().enumerate() {
            if k > 0 {
                self.expr(&mut g.iter)?;
            }
            self.target(&mut g.target)?;
            for cond in &mut g.ifs {
                self.expr(cond)?;
            }
        }
        self.expr(&mut comp.elt)?;
        if let Some(v) = &mut comp.value {
            self.expr(v)?;
        }
        if self.mode == Mode::Annotate {
            comp.scope = Rc::new(self.scopes[id].info.clone());
        }
        (self.current, self.loops) = saved;
        Ok(())
    }

    // ----- pass 2 -----

    /// Decide each name's kind in scope `id`; returns the names it needs from
    /// enclosing scopes.
    fn analyze(&mut self, id: usize, bound: &HashSet<Rc<str>>) -> RResult<Vec<Rc<str>>> {
        let kind = self.scopes[id].kind;
        let order = self.scopes[id].order.clone();
        let mut kinds: FxHashMap<Rc<str>, Kind> = FxHashMap::default();
        let mut frees: Vec<Rc<str>> = Vec::new();
        for name in &order {
            let f = self.scopes[id].flag(name);
            let k = match kind {
                ScopeKind::Module => Kind::GlobalImplicit,
                _ if f & GLOBAL != 0 => Kind::GlobalExplicit,
                _ if f & NONLOCAL != 0 => {
                    if !bound.contains(name) {
                        let span = self.scopes[id].nonlocal_spans.get(name).copied().unwrap_or_default();
                        return Err(error(format!("no binding for nonlocal '{name}' found"), span));
                    }
                    Kind::Free
                }
                ScopeKind::Class => {
                    if f & ASSIGNED != 0 {
                        Kind::ClassLocal
                    } else if bound.contains(name) {
                        Kind::Free
                    } else {
                        Kind::ClassLocal
                    }
                }
                _ => {
                    if f & (ASSIGNED | PARAM) != 0 {
                        Kind::Local
                    } else if bound.contains(name) {
                        Kind::Free
                    } else {
                        Kind::GlobalImplicit
                    }
                }
            };
            if k == Kind::Free {
                frees.push(name.clone());
            }
            kinds.insert(name.clone(), k);
        }
        // What children may see as bound.
        let mut child_bound: HashSet<Rc<str>> = match kind {
            ScopeKind::Module => HashSet::new(),
            _ => bound.clone(),
        };
        for name in &order {
            if kinds.get(name) == Some(&Kind::GlobalExplicit) {
                child_bound.remove(name);
            }
        }
        match kind {
            ScopeKind::Function | ScopeKind::Comprehension => {
                for (name, k) in &kinds {
                    if matches!(k, Kind::Local | Kind::Free) {
                        child_bound.insert(name.clone());
                    }
                }
            }
            ScopeKind::Class => {
                child_bound.insert(Rc::from("__class__"));
            }
            ScopeKind::Module => {}
        }
        let children = self.scopes[id].children.clone();
        let mut child_frees: Vec<Rc<str>> = Vec::new();
        for c in children {
            for name in self.analyze(c, &child_bound)? {
                if !child_frees.contains(&name) {
                    child_frees.push(name);
                }
            }
        }
        let mut own_cells = Vec::new();
        for name in child_frees {
            match (kind, kinds.get(&name).copied()) {
                (ScopeKind::Function | ScopeKind::Comprehension, Some(Kind::Local)) => {
                    kinds.insert(name.clone(), Kind::Cell);
                    own_cells.push(name);
                }
                (ScopeKind::Function | ScopeKind::Comprehension, Some(Kind::Free)) => {}
                (ScopeKind::Class, _) if &*name == "__class__" => {
                    self.scopes[id].class_cell = true;
                }
                (ScopeKind::Module, _) => {}
                _ => {
                    // Passed through from an enclosing function to a child.
                    if !frees.contains(&name) {
                        frees.push(name);
                    }
                }
            }
        }
        let scope = &mut self.scopes[id];
        scope.kinds = kinds;
        // Own cells in binding order (parameters first), as CPython orders them.
        own_cells.sort_by_key(|n| scope.order.iter().position(|o| o == n));
        scope.own_cells = own_cells;
        scope.frees = frees.clone();
        Ok(frees)
    }

    // ----- pass 3 (layout) -----

    fn layout(&mut self, id: usize) {
        let kind = self.scopes[id].kind;
        let parent_cells: FxHashMap<Rc<str>, u32> = match self.scopes[id].parent {
            Some(p) => self.scopes[p]
                .info
                .cell_names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), i as u32))
                .collect(),
            None => FxHashMap::default(),
        };
        let scope = &mut self.scopes[id];
        let mut info = ScopeInfo::default();
        let mut layout: FxHashMap<Rc<str>, Slot> = FxHashMap::default();
        // Cells: own cells first, then free variables.
        let mut cell_names: Vec<Rc<str>> = Vec::new();
        if kind == ScopeKind::Class && scope.class_cell {
            cell_names.push(Rc::from("__class__"));
            info.class_cell = Some(0);
        }
        cell_names.extend(scope.own_cells.iter().cloned());
        info.n_own_cells = cell_names.len() as u32;
        for f in &scope.frees {
            cell_names.push(f.clone());
            info.free_from_parent.push(parent_cells.get(f).copied().unwrap_or(0));
        }
        match kind {
            ScopeKind::Function | ScopeKind::Comprehension => {
                let mut locals: Vec<Rc<str>> = scope.params.clone();
                for name in &scope.order {
                    if scope.kinds.get(name) == Some(&Kind::Local) && !locals.contains(name) {
                        locals.push(name.clone());
                    }
                }
                for (i, name) in locals.iter().enumerate() {
                    layout.insert(name.clone(), Slot::Local(i as u32));
                }
                for (i, name) in cell_names.iter().enumerate() {
                    if let Some(p) = scope.params.iter().position(|p| p == name) {
                        info.cell_params.push((p as u32, i as u32));
                    }
                    layout.insert(name.clone(), Slot::Cell(i as u32));
                }
                if let Some(i) = cell_names.iter().position(|n| &**n == "__class__") {
                    info.class_cell = Some(i as u32);
                }
                for (name, k) in &scope.kinds {
                    if matches!(k, Kind::GlobalExplicit | Kind::GlobalImplicit) {
                        layout.insert(name.clone(), Slot::Global);
                    }
                }
                info.n_locals = locals.len() as u32;
                info.local_names = locals;
            }
            ScopeKind::Class => {
                for (name, k) in &scope.kinds {
                    let slot = match k {
                        Kind::GlobalExplicit => Slot::Global,
                        Kind::Free => match cell_names.iter().position(|n| n == name) {
                            Some(i) => Slot::ClassCell(i as u32),
                            None => Slot::ClassLocal,
                        },
                        _ => Slot::ClassLocal,
                    };
                    layout.insert(name.clone(), slot);
                }
            }
            ScopeKind::Module => {}
        }
        info.cell_names = cell_names;
        scope.info = info;
        scope.layout = layout;
        let children = scope.children.clone();
        for c in children {
            self.layout(c);
        }
    }
}
