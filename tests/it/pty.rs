//! The real binary in a pseudo-terminal: keys in, screen out, data on disk.

use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A running `gradebook` on an 80×24 pseudo-terminal.
struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Kept open for the child's lifetime; also tells the terminal's modes.
    master: Box<dyn portable_pty::MasterPty + Send>,
    /// Tells the reader thread to let go of its copy of the terminal.
    stop_reading: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(file: &Path) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin("gradebook"));
        cmd.arg("--file");
        cmd.arg(file);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("GRADEBOOK_FILE");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        // SAFETY: dup of the open master; the copy is owned by the File made from it.
        let fd = unsafe { libc::dup(pair.master.as_raw_fd().unwrap()) };
        assert!(fd >= 0);
        let mut reader = unsafe { std::fs::File::from_raw_fd(fd) };
        let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let sink = Arc::clone(&screen);
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !stop.load(Ordering::Relaxed) {
                let mut p = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one pollfd on the stack, a descriptor this thread owns.
                if unsafe { libc::poll(&mut p, 1, 50) } <= 0 {
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap().process(&buf[..n]),
                }
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Self {
            screen,
            writer,
            child,
            master: pair.master,
            stop_reading,
            reader: Some(reader),
        }
    }

    /// Closes the terminal under the session, as a closed window does: every copy of its
    /// master side goes. Returns the child to wait for.
    fn hang_up(mut self) -> Box<dyn portable_pty::Child + Send + Sync> {
        self.stop_reading.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        let Session { child, .. } = self;
        child
    }

    /// Whether the terminal is in raw mode (no line editing, no echo).
    fn raw_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().unwrap();
        // SAFETY: a zeroed termios is a valid value to be overwritten by tcgetattr, and
        // `fd` is the open master of this session's pseudo-terminal.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag & (libc::ICANON | libc::ECHO) == 0
    }

    fn pid(&self) -> i32 {
        self.child.process_id().unwrap() as i32
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self.contents().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never saw {text:?} on:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types keys, pausing so that Esc is not read as the start of an escape sequence.
    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    fn wait_exit(&mut self) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "gradebook exited with {status:?}");
                // Let the reader thread take in the last bytes the session wrote.
                std::thread::sleep(Duration::from_millis(100));
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "gradebook did not quit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Waits until `check` holds, for at most 20 seconds.
fn eventually(check: impl Fn() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the change never reached the file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn report(file: &Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("gradebook")
        .unwrap()
        .env_remove("GRADEBOOK_FILE")
        .arg("--file")
        .arg(file)
        .args(["report", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn keys_change_the_file_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");

    let mut s = Session::start(&file);
    s.wait_for("Welcome to gradebook");
    s.keys("L");
    s.wait_for("Alice");
    s.keys("a");
    s.wait_for("Add a student");
    s.keys("Frank\r");
    s.wait_for("Frank");
    s.keys("l");
    s.keys("e");
    s.wait_for("Frank · Grade");
    s.keys("89\r");
    s.wait_for("89.0");
    // Another terminal sees every change while the session is still open (saves are
    // written in the background, within moments).
    eventually(|| {
        let r = report(&file);
        let students = r["students"].as_array().cloned().unwrap_or_default();
        students
            .iter()
            .any(|s| s["name"] == "Frank" && s["final"] == 89.0)
    });
    // Delete Bob (row 2), confirm, then undo it.
    s.keys("gj");
    s.keys("d");
    s.wait_for("Delete student Bob");
    s.keys("y");
    s.wait_for("Deleted student Bob");
    eventually(|| report(&file)["students"].as_array().unwrap().len() == 5);
    s.keys("u");
    s.wait_for("Undone");
    s.keys("q");
    s.wait_exit();

    let r = report(&file);
    let names: Vec<&str> = r["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alice", "Bob", "Charlie", "Diana", "Eve", "Frank"]);

    let mut s = Session::start(&file);
    s.wait_for("Frank");
    assert!(s.contents().contains("89"), "{}", s.contents());
    s.keys("\x03"); // Ctrl-C
    s.wait_exit();
}

#[test]
fn a_file_in_use_is_refused_before_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");
    let (_held, _) = gradebook::store::Store::open(&file, "interactive session").unwrap();
    let mut s = Session::start(&file);
    s.wait_for("in use by gradebook interactive session");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.exit_code(), 1);
}

/// The interactive gradebook holds the lock for its whole session; a second writer names
/// it and gives up within a second; after SIGKILL of the session the lock is free.
#[test]
fn the_lock_dies_with_a_killed_session() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");
    let grade = || {
        assert_cmd::Command::cargo_bin("gradebook")
            .unwrap()
            .env_remove("GRADEBOOK_FILE")
            .arg("--file")
            .arg(&file)
            .args(["grade", "Zed", "50"])
            .output()
            .unwrap()
    };
    assert!(grade().status.code() == Some(1), "no course yet");
    let mut s = Session::start(&file);
    s.wait_for("Welcome to gradebook");
    s.keys("L");
    s.wait_for("Alice");
    let out = grade();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in use by gradebook interactive session (pid"),
        "{err}"
    );
    let pid = s.child.process_id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .unwrap()
            .success()
    );
    s.child.wait().unwrap();
    let out = grade();
    assert!(
        out.status.success(),
        "the lock must be free once its holder died: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report(&file)["students"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Zed")
    );
}

/// SIGTERM, SIGHUP and SIGINT: the change drawn just before is saved, the terminal is
/// restored (cooked mode, main screen, cursor shown), the lock is released, exit 0.
#[test]
fn signals_save_restore_the_terminal_and_exit_0() {
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gradebook.postcard");
        let mut s = Session::start(&file);
        s.wait_for("Welcome to gradebook");
        s.keys("L");
        s.wait_for("Alice");
        assert!(s.raw_mode());
        assert!(s.screen.lock().unwrap().screen().alternate_screen());
        s.keys("a");
        s.wait_for("Add a student");
        s.writer.write_all(b"Zed\r").unwrap();
        s.writer.flush().unwrap();
        s.wait_for("Zed");
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(s.pid(), signal) }, 0);
        s.wait_exit();
        assert!(!s.raw_mode(), "signal {signal}: the terminal stayed raw");
        let parser = s.screen.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "signal {signal}: still in the alternate screen"
        );
        assert!(
            !parser.screen().hide_cursor(),
            "signal {signal}: cursor hidden"
        );
        drop(parser);
        let names: Vec<String> = report(&file)["students"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect();
        assert!(
            names.iter().any(|n| n == "Zed"),
            "signal {signal}: {names:?}"
        );
        let grade = assert_cmd::Command::cargo_bin("gradebook")
            .unwrap()
            .env_remove("GRADEBOOK_FILE")
            .arg("--file")
            .arg(&file)
            .args(["grade", "Zed", "50"])
            .output()
            .unwrap();
        assert!(grade.status.success(), "signal {signal}: the lock was kept");
    }
}

/// The terminal closes under the session (a window closed, a connection lost): the change
/// drawn before is saved, the session ends, and the lock is free. (Crossterm's default
/// input reader spun for ever on the closed terminal, ignoring every signal.)
#[test]
fn closing_the_terminal_saves_and_ends_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");
    let mut s = Session::start(&file);
    s.wait_for("Welcome to gradebook");
    s.keys("L");
    s.wait_for("Alice");
    s.keys("a");
    s.wait_for("Add a student");
    s.writer.write_all(b"Zed\r").unwrap();
    s.writer.flush().unwrap();
    s.wait_for("Zed");
    let mut child = s.hang_up();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the session did not end with its terminal"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    let names: Vec<String> = report(&file)["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.iter().any(|n| n == "Zed"), "{names:?}");
    let grade = assert_cmd::Command::cargo_bin("gradebook")
        .unwrap()
        .env_remove("GRADEBOOK_FILE")
        .arg("--file")
        .arg(&file)
        .args(["grade", "Zed", "50"])
        .output()
        .unwrap();
    assert!(grade.status.success(), "the lock was kept");
}

/// The syllabus in a real terminal: the version-2 sample opened, a cell excused, a
/// category added on the Syllabus screen, all in the file after q.
#[test]
fn the_syllabus_by_keys_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");
    std::fs::copy("tests/data/gradebook-v2.postcard", &file).unwrap();

    let mut s = Session::start(&file);
    s.wait_for("Chloé Martin");
    s.keys("jl"); // Bob Okafor, HW1: excused already; M makes it missing
    s.keys("M");
    s.wait_for("(u undoes it)");
    s.keys("\t\t\t\t");
    s.wait_for("Categories of Biology 201");
    s.keys("a");
    s.wait_for("Add a category");
    s.keys("Labs\t");
    s.keys("\x1510\r");
    s.wait_for("Labs");
    s.keys("q");
    s.wait_exit();

    let r = report(&file);
    let bob = &r["students"][1];
    assert_eq!(bob["grades"]["HW1"], "M", "{bob}");
    assert!(bob["categories"].get("Labs").is_some(), "{bob}");
}

/// Runs `gradebook` with `args` on a pseudo-terminal to its end; returns all it wrote.
fn run_on_terminal(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin("gradebook"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("GRADEBOOK_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let collected = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        // Ends when the child has gone and the terminal says so (EIO) or closes.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        all
    });
    assert!(child.wait().unwrap().success());
    drop(pair.master);
    collected.join().unwrap()
}

/// An import or export shows progress on stderr when it is a terminal and the work has
/// run long enough (here at once), clears it, and leaves only its result; with stderr
/// not a terminal nothing is shown however long it runs.
#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.postcard");
    let file = file.to_str().unwrap();
    let export = dir.path().join("all.json");
    let export = export.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("gradebook")
            .unwrap()
            .env_remove("GRADEBOOK_FILE")
            .env("GRADEBOOK_PROGRESS_AFTER_MS", "0")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["--file", file, "sample"]);
    assert!(run(&["--file", file, "export", "json", "-o", export]).starts_with("Wrote"));
    let other = dir.path().join("other.postcard");
    let other = other.to_str().unwrap();
    let now = [("GRADEBOOK_PROGRESS_AFTER_MS", "0")];
    let said = run_on_terminal(&["--file", other, "import", "json", export], &now);
    let text = String::from_utf8_lossy(&said);
    assert!(text.contains("Checking "), "{text:?}");
    let mut screen = vt100::Parser::new(24, 80, 0);
    screen.process(&said);
    let screen = screen.screen().contents();
    assert_eq!(screen.trim(), "Imported 1 course", "the bar is cleared");
    let said = run_on_terminal(&["--file", other, "export", "grades", "-o", export], &now);
    assert!(String::from_utf8_lossy(&said).contains("Writing "));
    // After the usual second, a quick command shows nothing.
    let said = run_on_terminal(&["--file", other, "export", "grades", "-o", export], &[]);
    let text = String::from_utf8_lossy(&said);
    assert!(
        text.starts_with("Wrote ") && !text.contains("Writing"),
        "{text:?}"
    );
}
