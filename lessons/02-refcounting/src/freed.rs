//! Section `freed`: freed at zero. A value that announces its own drop shows the
//! exact line at which it is freed; a cycle of `Rc`s never gets to zero, and
//! a `Weak` link breaks the cycle.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use workshop::{Ctx, Out, Outcome, Section};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "freed",
    title: "Freed at zero",
    explain: "
        When the last reference goes, the count reaches zero and the memory
        is released at once, on that line: no collector has to come by
        later. A Python class sees it in `__del__`; a Rust type sees it in
        `Drop::drop`, which runs just before the value's memory is freed.
        `Drop` is a trait: a set of methods a type promises, like Python's
        special methods, which `impl Drop for Noisy` provides. `Noisy`
        prints a line from its `drop`, so you can see when.

        A count has one blind spot: a cycle. Two nodes that point at each
        other keep each other's count at 1 or more after every name for them
        is gone, so neither count ever reaches zero. Python has a cycle
        collector for that; Rust does not, so an `Rc` cycle leaks. The cure
        in both languages is a weak reference, which points without
        counting: `weakref.ref` in Python, `Weak` in Rust. Its `upgrade`
        returns the value only while the value is still alive. (A node's
        link sits in a `RefCell`: what an `Rc` shares cannot be changed,
        unless a `RefCell` checks, as the program runs, that one
        `borrow_mut()` at a time changes it.)
    ",
    python: r#"
        class Noisy:
            def __init__(self, name):
                self.name = name
            def __del__(self):
                print(f"{self.name} is freed")

        x = Noisy("x")
        y = x
        del x      # nothing: y still refers to it
        del y      # "x is freed", right here

        first.other = second       # a cycle
        second.other = first
        second.other = weakref.ref(first)   # a weak link
    "#,
    rust: r#"
        impl Drop for Noisy {
            fn drop(&mut self) {
                self.out.line(format!("    drop: {} is freed", self.name));
            }
        }

        let x = Rc::new(Noisy::new(out, "x"));
        let y = Rc::clone(&x);
        drop(x);
        drop(y);

        *first.other.borrow_mut() = Link::Strong(Rc::clone(&second));
        *second.other.borrow_mut() = Link::Strong(Rc::clone(&first));
        *second.other.borrow_mut() = Link::Weak(Rc::downgrade(&first));
    "#,
    run,
};

/// A value that says so when it is freed.
pub struct Noisy {
    name: &'static str,
    out: Out,
}

impl Noisy {
    /// A `Noisy` called `name` that reports its drop through `out`.
    pub fn new(out: &Out, name: &'static str) -> Self {
        Noisy {
            name,
            out: out.clone(),
        }
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        self.out.line(format!("    drop: {} is freed", self.name));
    }
}

/// Two names for one `Noisy`, dropped one at a time: the value is freed at
/// the second `drop`, not the first.
pub fn freed_at_zero(out: &Out) {
    let x = Rc::new(Noisy::new(out, "x"));
    let y = Rc::clone(&x);
    out.line(format!(
        "x and y point at one Noisy: count {}",
        Rc::strong_count(&x)
    ));
    drop(x);
    out.line(format!(
        "drop(x): count {}, still alive",
        Rc::strong_count(&y)
    ));
    out.line("drop(y): the count reaches 0...");
    drop(y);
    out.line("...and the line above, printed from inside drop, came before this one.");
}

/// A node's link to the other node of the pair.
pub enum Link {
    /// No link yet.
    None,
    /// A counted link: keeps the other node alive.
    Strong(Rc<Node>),
    /// An uncounted link: `upgrade` finds the other node while it lives.
    Weak(Weak<Node>),
}

/// A node that may point at another one.
pub struct Node {
    /// The link to the other node. `RefCell` lets us set it after both
    /// nodes exist, through a shared `Rc`.
    pub other: RefCell<Link>,
    _noisy: Noisy,
}

impl Node {
    fn new(out: &Out, name: &'static str) -> Rc<Node> {
        Rc::new(Node {
            other: RefCell::new(Link::None),
            _noisy: Noisy::new(out, name),
        })
    }
}

/// What became of two nodes after both names for them were dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Each node's count just before the names were dropped.
    pub counts_before: (usize, usize),
    /// Whether the first node was still alive afterwards (a leak).
    pub first_survived: bool,
}

/// Two nodes pointing at each other, `second`'s link strong or weak. Both
/// names are dropped; a `Weak` kept on the side says whether `first` lived
/// on. A leaked cycle is then broken by hand, so the lesson itself leaks
/// nothing.
pub fn pair(out: &Out, weak_back_link: bool) -> Pair {
    let first = Node::new(out, "first");
    let second = Node::new(out, "second");
    *first.other.borrow_mut() = Link::Strong(Rc::clone(&second));
    if weak_back_link {
        *second.other.borrow_mut() = Link::Weak(Rc::downgrade(&first));
    } else {
        *second.other.borrow_mut() = Link::Strong(Rc::clone(&first));
    }
    let counts_before = (Rc::strong_count(&first), Rc::strong_count(&second));
    let watch = Rc::downgrade(&first);
    out.line(format!(
        "counts: first {}, second {}; dropping both names",
        counts_before.0, counts_before.1
    ));
    drop(first);
    drop(second);
    let survivor = watch.upgrade();
    let first_survived = survivor.is_some();
    if let Some(first) = survivor {
        out.line("nothing was freed: each node still holds the other (a leak)");
        out.line("breaking the cycle by hand, so this lesson does not leak:");
        // Take the link out of `first`: `second` loses its last count, and
        // its drop releases its link to `first` in turn.
        let link = std::mem::replace(&mut *first.other.borrow_mut(), Link::None);
        drop(link);
        drop(first);
    }
    Pair {
        counts_before,
        first_survived,
    }
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    freed_at_zero(out);
    out.blank();
    out.line("A cycle of strong links, first → second → first:");
    pair(out, false);
    out.blank();
    out.line("The same pair, with second → first weak:");
    pair(out, true);
    out.line("`first` had count 1 (its name only): it was freed with its name, and its");
    out.line("drop released `second`. Weak links are how trees point back at their parents.");
    Ok(())
}
