//! `reroute lsp`, driven by a client written here: initialize → open → diagnostics → code
//! action → edits; "fix all" equal to what `apply` writes; updates on change and when a
//! codemod changes. Positions in UTF-16, with characters outside the BMP before the import.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

use crate::util::{BIN, Project};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Client {
    fn start(project: &Project) -> Client {
        let mut child = Command::new(BIN)
            .arg("lsp")
            .current_dir(project.root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start reroute lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server closed stdout"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Sends a request and returns its result; answers the server's own requests meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id && message.get("method").is_none() {
                return message["result"].clone();
            }
            self.answer(&message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next notification `method`, answering the server's requests meanwhile.
    fn wait_for(&mut self, method: &str) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == method && message.get("id").is_none() {
                return message["params"].clone();
            }
            self.answer(&message);
        }
    }

    fn answer(&mut self, message: &Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
    }
}

/// The byte offset of an LSP position counted in UTF-16 units.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with the edits of a code action's first document change made.
fn apply(text: &str, action: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

const SOURCE: &str = "s = \"é😀\"; import app.old\napp.old.f()\nfrom app.old import f as g\n";

#[test]
fn diagnostics_code_actions_and_fix_all_equal_to_apply() {
    let project = Project::with_codemod("m", "[[move]]\nfrom = \"app.old\"\nto = \"app.new\"\n");
    project
        .write("app/__init__.py", "")
        .write("app/new.py", "def f():\n    pass\n")
        .write("app/use.py", SOURCE);
    let uri = format!("file://{}", project.path("app/use.py").display());
    let mut client = Client::start(&project);
    let initialized = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": format!("file://{}", project.root().display()),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
            },
        }),
    );
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-16");
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}}),
    );
    let published = client.wait_for("textDocument/publishDiagnostics");
    assert_eq!(published["uri"], uri.as_str());
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 3, "{published}");
    // `import app.old` after `s = "é😀"; `: 18 UTF-16 units in (21 bytes).
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": {"line": 0, "character": 18}, "end": {"line": 0, "character": 25}})
    );
    assert_eq!(diagnostics[0]["source"], "reroute");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("app.old -> app.new"),
        "{published}"
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 18}, "end": {"line": 0, "character": 18}},
            "context": {"diagnostics": [diagnostics[0]]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let quickfix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quickfix: {actions:?}"));
    // The import is rewritten with its uses, never alone.
    assert_eq!(
        apply(SOURCE, quickfix),
        "s = \"é😀\"; import app.new\napp.new.f()\nfrom app.old import f as g\n"
    );
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.reroute")
        .unwrap_or_else(|| panic!("no fix-all: {actions:?}"));
    let fixed = apply(SOURCE, fix_all);
    project.run(&["apply"]).code(0);
    assert_eq!(
        fixed,
        project.read_text("app/use.py"),
        "fix all differs from apply"
    );

    // On change: diagnostics of the new text, with its version.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": "import os\nimport app.old as o\n"}]}),
    );
    let published = client.wait_for("textDocument/publishDiagnostics");
    assert_eq!(published["version"], 2);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 1, "character": 7})
    );

    // A codemod changes on disk: the project is loaded again.
    project.write("app/newer.py", "").write(
        "codemods/m.toml",
        "[[move]]\nfrom = \"app.old\"\nto = \"app.newer\"\n",
    );
    let changed = format!("file://{}", project.path("codemods/m.toml").display());
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": changed, "type": 2}]}),
    );
    let published = client.wait_for("textDocument/publishDiagnostics");
    let message = published["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("app.old -> app.newer"), "{published}");

    let shutdown = client.request("shutdown", json!(null));
    assert!(shutdown.is_null());
    client.notify("exit", json!(null));
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let project = Project::with_codemod("m", "[[move]]\nfrom = \"app.old\"\nto = \"app.new\"\n");
    project.write("app/__init__.py", "").write("app/new.py", "");
    let uri = format!("file://{}", project.path("app/use.py").display());
    let mut client = Client::start(&project);
    let initialized = client.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", project.root().display()),
               "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-8");
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}}),
    );
    let published = client.wait_for("textDocument/publishDiagnostics");
    assert_eq!(
        published["diagnostics"][0]["range"]["start"],
        json!({"line": 0, "character": 21})
    );
    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    assert!(client.child.wait().unwrap().success());
}
