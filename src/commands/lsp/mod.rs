//! `reroute lsp`: a Language Server over stdio. Diagnostics for every deprecated reference in
//! the open Python files (the project's codemods and `[tool.reroute]`, as `check` reads
//! them), updated on every change; a code action per rewrite whose edits reparse cleanly,
//! and "fix all in file", whose text is what `apply` writes. Positions in the negotiated
//! encoding (UTF-16 unless the client offers UTF-8). The project is loaded again when a
//! codemod or `pyproject.toml` changes.

mod analysis;
mod document;
mod uri;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{Value, json};

use reroute_engine::Engine;
use reroute_run::{DiskLayout, ExitStatus, Mode};

use crate::config::{ConfigSource, Overrides, Settings};
use document::{Document, Encoding};

/// The project the open files belong to, loaded from its folder.
struct Project {
    engine: Engine,
    layout: DiskLayout,
}

impl Project {
    /// Loads the codemods and settings as `check` would from `root`; the error says why not.
    fn load(root: &Path, source: &ConfigSource) -> Result<Project, String> {
        let overrides = Overrides {
            paths: vec![root.to_path_buf()],
            config: source.clone(),
            ..Overrides::default()
        };
        let mut settings =
            Settings::resolve(Mode::Check, &overrides, root).map_err(|e| e.to_string())?;
        // What `apply` checks before it writes, so that "fix all" is its text.
        settings.run.engine.verify_whole = true;
        let (engine, layout, _) =
            reroute_run::prepare(&settings.run, settings.rules, &[]).map_err(|e| e.to_string())?;
        Ok(Project { engine, layout })
    }
}

struct Server {
    connection: Connection,
    root: PathBuf,
    source: ConfigSource,
    encoding: Encoding,
    project: Option<Project>,
    documents: BTreeMap<String, Document>,
    next_request: i32,
}

/// Serves until the client says `exit`.
pub fn run(cwd: &Path, source: &ConfigSource) -> anyhow::Result<ExitStatus> {
    let (connection, threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .context("the client did not initialize")?;
    let encoding = Encoding::negotiate(&params["capabilities"]);
    let root = params["rootUri"]
        .as_str()
        .and_then(uri::to_path)
        .or_else(|| {
            params["workspaceFolders"][0]["uri"]
                .as_str()
                .and_then(uri::to_path)
        })
        .unwrap_or_else(|| cwd.to_path_buf());
    let result = json!({
        "capabilities": {
            "positionEncoding": encoding.name(),
            "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
            "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll.reroute"]},
        },
        "serverInfo": {"name": "reroute", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .context("initialize failed")?;
    let mut server = Server {
        connection,
        root,
        source: source.clone(),
        encoding,
        project: None,
        documents: BTreeMap::new(),
        next_request: 0,
    };
    server.reload();
    server.watch_codemods(&params["capabilities"]);
    server.serve()?;
    drop(server);
    threads.join().context("the stdio threads failed")?;
    Ok(ExitStatus::Clean)
}

impl Server {
    fn serve(&mut self) -> anyhow::Result<()> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    self.request(request)?;
                }
                Message::Notification(notification) => self.notification(notification)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn request(&mut self, request: Request) -> anyhow::Result<()> {
        let result = match request.method.as_str() {
            "textDocument/codeAction" => self.code_actions(&request.params),
            _ => {
                let error = Response::new_err(
                    request.id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("reroute lsp does not answer {}", request.method),
                );
                return self.send(Message::Response(error));
            }
        };
        self.send(Message::Response(Response::new_ok(request.id, result)))
    }

    fn notification(&mut self, notification: Notification) -> anyhow::Result<()> {
        let params = &notification.params;
        let uri = params["textDocument"]["uri"]
            .as_str()
            .unwrap_or("")
            .to_string();
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let text = params["textDocument"]["text"].as_str().unwrap_or("");
                let version = params["textDocument"]["version"].as_i64().unwrap_or(0);
                self.documents
                    .insert(uri.clone(), Document::new(text.to_string(), version));
                self.publish(&uri)?;
            }
            "textDocument/didChange" => {
                // Full sync: the last change holds the whole text.
                let changes = params["contentChanges"].as_array();
                if let Some(text) = changes
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str())
                {
                    let version = params["textDocument"]["version"].as_i64().unwrap_or(0);
                    self.documents
                        .insert(uri.clone(), Document::new(text.to_string(), version));
                    self.publish(&uri)?;
                }
            }
            "textDocument/didClose" => {
                self.documents.remove(&uri);
                self.notify(
                    "textDocument/publishDiagnostics",
                    json!({"uri": uri, "diagnostics": []}),
                )?;
            }
            "textDocument/didSave" if is_config(&uri) => self.reload_and_publish()?,
            "workspace/didChangeWatchedFiles" => {
                let changed = params["changes"].as_array().into_iter().flatten();
                if changed.filter_map(|c| c["uri"].as_str()).any(is_config) {
                    self.reload_and_publish()?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Loads the project again; a configuration that does not load is said once.
    fn reload(&mut self) {
        match Project::load(&self.root, &self.source) {
            Ok(project) => self.project = Some(project),
            Err(message) => {
                self.project = None;
                let _ = self.notify(
                    "window/showMessage",
                    json!({"type": 1, "message": format!("reroute: {message}")}),
                );
            }
        }
    }

    fn reload_and_publish(&mut self) -> anyhow::Result<()> {
        self.reload();
        let uris: Vec<String> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.publish(&uri)?;
        }
        Ok(())
    }

    /// Asks a client that can watch files to say when a codemod or pyproject.toml changes.
    fn watch_codemods(&mut self, capabilities: &Value) {
        let dynamic = capabilities["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
            .as_bool()
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        self.next_request += 1;
        let request = Request::new(
            lsp_server::RequestId::from(self.next_request),
            "client/registerCapability".to_string(),
            json!({"registrations": [{
                "id": "reroute-config",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": {"watchers": [{"globPattern": "**/*.toml"}]},
            }]}),
        );
        let _ = self.send(Message::Request(request));
    }

    fn publish(&self, uri: &str) -> anyhow::Result<()> {
        let (Some(doc), Some(path)) = (self.documents.get(uri), uri::to_path(uri)) else {
            return Ok(());
        };
        let diagnostics = match &self.project {
            Some(project) if is_python(&path) => {
                let result = analysis::analyze(&project.engine, &project.layout, &path, doc);
                analysis::diagnostics(&result, doc, self.encoding)
            }
            _ => Vec::new(),
        };
        self.notify(
            "textDocument/publishDiagnostics",
            json!({"uri": uri, "version": doc.version, "diagnostics": diagnostics}),
        )
    }

    fn code_actions(&self, params: &Value) -> Value {
        let uri = params["textDocument"]["uri"].as_str().unwrap_or("");
        let (Some(doc), Some(path), Some(project)) = (
            self.documents.get(uri),
            uri::to_path(uri),
            self.project.as_ref(),
        ) else {
            return json!([]);
        };
        let line = |key: &str| params["range"][key]["line"].as_u64().unwrap_or(0) as usize;
        let result = analysis::analyze(&project.engine, &project.layout, &path, doc);
        let actions = analysis::code_actions(
            &result,
            doc,
            uri,
            line("start")..=line("end"),
            self.encoding,
        );
        let only = params["context"]["only"].as_array();
        let wanted = |action: &Value| {
            only.is_none_or(|kinds| {
                kinds.iter().filter_map(Value::as_str).any(|kind| {
                    action["kind"]
                        .as_str()
                        .is_some_and(|k| k == kind || k.starts_with(&format!("{kind}.")))
                })
            })
        };
        Value::Array(actions.into_iter().filter(wanted).collect())
    }

    fn notify(&self, method: &str, params: Value) -> anyhow::Result<()> {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )))
    }

    fn send(&self, message: Message) -> anyhow::Result<()> {
        self.connection
            .sender
            .send(message)
            .context("the client went away")
    }
}

fn is_python(path: &Path) -> bool {
    reroute_run::discover::has_python_extension(path)
}

/// A codemod or a pyproject.toml: the project is loaded again when one changes.
fn is_config(uri: &str) -> bool {
    uri.ends_with(".toml")
}
