//! Section `counting`: counting references. `sys.getrefcount(a)` prints 3 for a list
//! held by `a` and `b`; the same 3 with `Rc::strong_count`.

use std::rc::Rc;

use workshop::{Ctx, Outcome, Section, Table};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "counting",
    title: "Counting references",
    explain: "
        Every Python object carries a count of the references to it. The
        workshop's slide makes a list, names it `a` and `b`, and asks
        `sys.getrefcount(a)`: 3. Two names, plus one more for the argument:
        while the function runs, its parameter is a reference too.

        Rust counts only when you ask it to: `Rc<T>` is a pointer to a value
        together with its count. `Rc::clone` does not copy the list; it adds
        one to the count and hands you another pointer to the same list.
        Dropping an `Rc` (at the end of its scope, or with `drop`) takes one
        away. Below, `getrefcount` takes its argument by value, as Python's
        does, so the call itself holds a third reference while it runs.
        The usual Rust way is to lend `&a` instead: a borrow is not counted.
        `getrefcount<T>` is generic: it takes an `Rc` of any type `T`, as a
        Python function typed with a `TypeVar` would.
    ",
    python: r#"
        import sys


        a = []
        b = a
        print(sys.getrefcount(a))   # 3
        del b
        print(sys.getrefcount(a))   # 2
    "#,
    rust: r#"
        fn getrefcount<T>(obj: Rc<T>) -> usize {
            Rc::strong_count(&obj)
        }

        let a: Rc<Vec<i32>> = Rc::new(Vec::new());
        let b = Rc::clone(&a);
        getrefcount(Rc::clone(&a)) // 3
        drop(b);
        getrefcount(Rc::clone(&a)) // 2
    "#,
    run,
};

/// Python's `sys.getrefcount`: the count of the `Rc` it is given. It takes
/// its argument by value, so the count includes the argument itself, as
/// Python's does.
pub fn getrefcount<T>(obj: Rc<T>) -> usize {
    Rc::strong_count(&obj)
}

/// One step of the demonstration: the Rust that ran and the count after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The line of Rust.
    pub code: &'static str,
    /// What the count was, read as the step says.
    pub count: usize,
}

/// Makes a list, gives it two names and a few more references, and reads
/// its count after each step.
pub fn count_references() -> Vec<Step> {
    let mut steps = Vec::new();
    let mut note = |code, count| steps.push(Step { code, count });

    let a: Rc<Vec<i32>> = Rc::new(Vec::new());
    note("let a = Rc::new(Vec::new())", Rc::strong_count(&a));
    let b = Rc::clone(&a);
    note("let b = Rc::clone(&a)", Rc::strong_count(&a));
    note("getrefcount(Rc::clone(&a))", getrefcount(Rc::clone(&a)));
    note("Rc::strong_count(&a)  // a borrow", Rc::strong_count(&a));
    {
        let c = Rc::clone(&a);
        note("{ let c = Rc::clone(&a); ...", Rc::strong_count(&c));
    }
    note("}  // c goes out of scope", Rc::strong_count(&a));
    drop(b);
    note("drop(b)", Rc::strong_count(&a));
    note("getrefcount(Rc::clone(&a))", getrefcount(Rc::clone(&a)));
    steps
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let mut table = Table::new(["Rust", "count"]);
    for step in count_references() {
        table.push([step.code.to_owned(), step.count.to_string()]);
    }
    out.table(&table);
    out.line("The same 3 as Python's: `a`, `b`, and the argument `obj` while `getrefcount`");
    out.line("runs. When the call returns, `obj` is dropped and the count is back to 2.");
    out.line("When `a` goes too, the count reaches 0 and the list is freed: the next");
    out.line("section watches that happen.");
    Ok(())
}
