//! The native runner: runs a script as the playground runs it.
//!
//!     sqla-run [--console] [--echo] [--sql-log FILE] [-W ACTION] [--env NAME=VALUE]... script.py
//!
//! Prints what the script prints to stdout and tracebacks to stderr. By default the file runs
//! as `python app.py` would (an uncaught exception ends it with exit status 1); `--console`
//! runs it statement by statement as typed into `flask shell`. `--echo` interleaves
//! SQLAlchemy's echo lines; `--sql-log FILE` writes one JSON object per logged event; `-W
//! ACTION` applies a warnings filter first, as `python -W ignore` does; `--env NAME=VALUE` puts
//! a variable in `os.environ` (which is otherwise empty, as in the browser).

use std::io::Write;
use std::process::ExitCode;

use sqla_engine::playground::Playground;

struct Options {
    console: bool,
    echo: bool,
    sql_log: Option<String>,
    warnings: Option<String>,
    environment: Vec<(String, String)>,
    script: String,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options { console: false, echo: false, sql_log: None, warnings: None, environment: Vec::new(), script: String::new() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--console" => options.console = true,
            "--echo" => options.echo = true,
            "--sql-log" => options.sql_log = Some(args.next().ok_or("--sql-log needs a file name")?),
            "-W" => options.warnings = Some(args.next().ok_or("-W needs an action (ignore, error, always, default, module, once)")?),
            "--env" => {
                let pair = args.next().ok_or("--env needs NAME=VALUE")?;
                let (name, value) = pair.split_once('=').ok_or(format!("--env {pair}: expected NAME=VALUE"))?;
                options.environment.push((name.to_owned(), value.to_owned()));
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => options.script = path.to_string(),
        }
    }
    if let Some(problem) = sqla_engine::playground::environment_problems(&options.environment).into_iter().next() {
        return Err(format!("--env: {problem}"));
    }
    if options.script.is_empty() {
        return Err("usage: sqla-run [--console] [--echo] [--sql-log FILE] [-W ACTION] script.py".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let source = match std::fs::read_to_string(&options.script) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sqla-run: can't open file '{}': {e}", options.script);
            return ExitCode::from(2);
        }
    };
    let mut playground = Playground::new();
    playground.set_echo(options.echo);
    playground.set_environment(options.environment.clone());
    if let Some(action) = &options.warnings {
        if sqla_engine::bindings::stdlib::simple_warnings_filter(playground.interpreter(), action).is_err() {
            eprintln!("sqla-run: -W {action}: not an action (ignore, error, always, default, module, once)");
            return ExitCode::from(2);
        }
    }
    let mut failed = false;
    let mut stdout = std::io::stdout();
    if options.console {
        for (_, result) in playground.run_console_script(&source) {
            let _ = stdout.write_all(result.output.as_bytes());
            if let Some(error) = result.error {
                let _ = stdout.flush();
                eprint!("{}", error.traceback);
            }
        }
    } else {
        let result = playground.run_script(&source);
        let _ = stdout.write_all(result.output.as_bytes());
        match result.error {
            // `sys.exit(n)` ends the script quietly with status n (`exit()`: 0); another
            // value is printed and the status is 1, as `python app.py` does.
            Some(error) if error.type_name == "SystemExit" => {
                let _ = stdout.flush();
                return match error.message.parse::<u8>() {
                    Ok(status) => ExitCode::from(status),
                    Err(_) if error.message.is_empty() || error.message == "None" => ExitCode::SUCCESS,
                    Err(_) => {
                        eprintln!("{}", error.message);
                        ExitCode::from(1)
                    }
                };
            }
            Some(error) => {
                let _ = stdout.flush();
                eprint!("{}", error.traceback);
                failed = true;
            }
            None => {}
        }
    }
    if let Some(path) = options.sql_log {
        if let Err(e) = std::fs::write(&path, playground.sql_log_json()) {
            eprintln!("sqla-run: can't write {path}: {e}");
            return ExitCode::from(2);
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
