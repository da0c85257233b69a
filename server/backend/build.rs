//! `sqlx::migrate!` embeds the migration files it finds at compile time, but the compiler does not
//! watch the folders for new files: rebuild when a migration is added.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
