//! Stage 2, between the byte prefilter and tree-sitter: a small Python tokenizer
//! (`tokens`), the import statements read from its tokens (`imports`), and the decision
//! made from them (`decide`): skip the file, plan its import statements one by one, or
//! parse it whole. A superset filter: unsure means parse.

mod alone;
pub mod decide;
pub mod imports;
mod lexicon;
mod text;
pub mod tokens;

pub use decide::{Decision, Place, WholeReason, decide};
pub use lexicon::Lexicon;
