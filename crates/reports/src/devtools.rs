//! A DevTools protocol conversation over one WebSocket: commands with ids answered in turn, and
//! the events that arrive meanwhile passed over, on a flattened page session.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// How long one command may take: a whole report prints in seconds.
const STEP_TIMEOUT: Duration = Duration::from_secs(120);

/// An open DevTools connection.
pub struct Connection {
    socket: WebSocket<TcpStream>,
    next_id: u64,
}

impl Connection {
    /// Connects to a browser's DevTools WebSocket (`ws://127.0.0.1:PORT/devtools/browser/…`).
    pub fn open(ws_url: &str) -> Result<Connection, String> {
        let authority = ws_url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| format!("not a DevTools address: {ws_url}"))?;
        let stream = TcpStream::connect(authority).map_err(|e| format!("{authority}: {e}"))?;
        // A busy browser may take seconds to answer the handshake, and a handshake cut short by
        // a read timeout cannot be resumed: wait as long as a step may take, then poll each second.
        stream
            .set_read_timeout(Some(STEP_TIMEOUT))
            .map_err(|e| e.to_string())?;
        let (socket, _) = tungstenite::client(ws_url, stream).map_err(|e| e.to_string())?;
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_secs(1)))
            .map_err(|e| e.to_string())?;
        Ok(Connection { socket, next_id: 1 })
    }

    fn read(&mut self, deadline: Instant) -> Result<Value, String> {
        loop {
            if Instant::now() > deadline {
                return Err("the browser did not answer in time".into());
            }
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    return serde_json::from_str(text.as_str())
                        .map_err(|e| format!("unreadable DevTools message: {e}"))
                }
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    /// Sends a command (on a page session when `session` is given) and waits for its result.
    pub fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        self.socket
            .send(Message::Text(message.to_string().into()))
            .map_err(|e| e.to_string())?;
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let m = self.read(deadline)?;
            if m["id"].as_u64() == Some(id) {
                if let Some(e) = m.get("error") {
                    return Err(format!(
                        "{method}: {}",
                        e["message"].as_str().unwrap_or("failed")
                    ));
                }
                return Ok(m["result"].clone());
            }
            // An event (of the page's lifecycle, say): nothing waits for one.
        }
    }
}
