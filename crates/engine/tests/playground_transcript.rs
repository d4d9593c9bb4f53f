//! What the playground keeps to replay a session: the transcript of console inputs (kept when
//! the models are applied again, restorable after a reload), a console script cut into its
//! inputs (an example's lines), and the check of kept database bytes.

use sqla_engine::playground::{check_saved_database, split_console_script, ConsoleInput, Playground};

const MODELS: &str = "class Pet(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(20), unique=True)\n";

fn input(source: &str, failed: bool) -> ConsoleInput {
    ConsoleInput { source: source.to_owned(), failed }
}

#[test]
fn the_transcript_lists_console_inputs_with_their_failures_across_applies() {
    let mut playground = Playground::new();
    playground.apply_models(MODELS, false);
    playground.run_console("db.session.add(Pet(name='Rex'))");
    playground.run_console("Pet.query.get(");
    playground.run_console("undefined_name");
    playground.apply_models(MODELS, false);
    playground.run_console("db.session.commit()");
    assert_eq!(
        playground.transcript(),
        [
            input("db.session.add(Pet(name='Rex'))", false),
            input("Pet.query.get(", true),
            input("undefined_name", true),
            input("db.session.commit()", false),
        ]
    );
}

#[test]
fn a_restored_transcript_continues() {
    let mut playground = Playground::new();
    playground.restore_transcript(vec![input("1 + 1", false)]);
    playground.run_console("2 + 2");
    assert_eq!(playground.transcript(), [input("1 + 1", false), input("2 + 2", false)]);
}

#[test]
fn a_console_script_splits_into_statements_with_the_comments_above_them() {
    let script = "# Make a pet.\n# It is pending.\nrex = Pet(name='Rex')\n\n# unrelated, then a blank line\n\nfor pet in [rex]:\n    print(pet.name)\n\n# Say so.\nprint('done')  # trailing\n";
    let steps = split_console_script(script).expect("parses");
    let summary: Vec<(u32, &str, &str)> = steps.iter().map(|s| (s.line, s.code.as_str(), s.comment.as_str())).collect();
    assert_eq!(
        summary,
        [
            (3, "rex = Pet(name='Rex')\n", "Make a pet.\nIt is pending."),
            (7, "for pet in [rex]:\n    print(pet.name)\n", ""),
            (11, "print('done')  # trailing\n", "Say so."),
        ]
    );
}

#[test]
fn statements_sharing_a_line_are_one_input_and_run_once() {
    let script = "n = 1; print('once', n)\nm = (2,\n     3); print(m)\n";
    let steps = split_console_script(script).expect("parses");
    let summary: Vec<(u32, &str)> = steps.iter().map(|s| (s.line, s.code.as_str())).collect();
    assert_eq!(summary, [(1, "n = 1; print('once', n)\n"), (2, "m = (2,\n     3); print(m)\n")]);
    let outputs: Vec<String> = Playground::new().run_console_script(script).into_iter().map(|(_, run)| run.output).collect();
    assert_eq!(outputs, ["once 1\n", "(2, 3)\n"]);
}

#[test]
fn a_console_script_that_does_not_parse_says_where() {
    let error = split_console_script("x = 1\ny = (\n").expect_err("does not parse");
    assert_eq!(error.type_name, "SyntaxError");
    assert_eq!(error.line, Some(2));
}

#[test]
fn kept_database_bytes_are_checked_before_use() {
    let mut playground = Playground::new();
    playground.apply_models(MODELS, false);
    playground.run_console("db.session.add(Pet(name='Rex')); db.session.commit()");
    let saved = playground.saved_databases();
    let bytes = saved.get("sqlite:///playground.db").expect("the predefined database is a file database");
    assert_eq!(check_saved_database(bytes), Ok(()));
    assert_eq!(check_saved_database(b"garbage").map_err(|e| e.contains("not a sqla-playground snapshot")), Err(true));
    let truncated = &bytes[..bytes.len() / 2];
    assert!(check_saved_database(truncated).expect_err("truncated").contains("truncated"));
}
