//! Requests to the running app and what came back, with status codes never turned into
//! errors: a test asserts on a 4xx like on any other answer.

use std::time::Duration;

use serde_json::Value;

/// Makes the client the harness uses: no redirects followed (so tests see them), 4xx and
/// 5xx returned as responses, and a timeout so a hung server fails the test.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// One request being put together; [`Request::send`] sends it.
#[must_use = "a request does nothing until it is sent"]
pub struct Request {
    agent: ureq::Agent,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Request {
    pub(crate) fn new(agent: ureq::Agent, method: &str, url: String) -> Request {
        Request {
            agent,
            method: method.to_owned(),
            url,
            headers: Vec::new(),
            body: None,
        }
    }

    /// `Authorization: Bearer <token>`, when there is a token.
    pub fn token(self, token: Option<&str>) -> Request {
        match token {
            Some(token) => self.header("Authorization", &format!("Bearer {token}")),
            None => self,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A body sent as it is, with whatever `Content-Type` the test set (or none).
    pub fn body(mut self, bytes: impl Into<Vec<u8>>) -> Request {
        self.body = Some(bytes.into());
        self
    }

    /// A JSON body with `Content-Type: application/json`.
    pub fn json(self, body: &Value) -> Request {
        let bytes = serde_json::to_vec(body).expect("a JSON value serializes");
        self.header("Content-Type", "application/json").body(bytes)
    }

    pub fn send(self) -> Response {
        let description = format!("{} {}", self.method, self.url);
        let mut builder = ureq::http::Request::builder()
            .method(self.method.as_str())
            .uri(&self.url);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let result = match self.body {
            Some(bytes) => builder.body(bytes).map(|request| self.agent.run(request)),
            None => builder.body(()).map(|request| self.agent.run(request)),
        };
        let mut response = result
            .unwrap_or_else(|error| panic!("{description}: cannot build the request: {error}"))
            .unwrap_or_else(|error| panic!("{description}: no answer: {error}"));
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_else(|error| panic!("{description}: cannot read the body: {error}"));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Response {
            status,
            headers,
            body,
            text,
            bytes,
        }
    }
}

/// What the app answered.
#[derive(Clone)]
pub struct Response {
    pub status: u16,
    /// Every header, names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body as JSON; `Null` when it is empty or not JSON (see `text`).
    pub body: Value,
    /// The body as text, anything that is not UTF-8 replaced.
    pub text: String,
    /// The body as it came, for what is not text (a ZIP).
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Response {
    /// Everything but `bytes`, which say again what `text` says (or are not text).
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl Response {
    /// The first value of a header (any case of `name`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).into_iter().next()
    }

    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The `ETag`, which the test requires to be there.
    pub fn etag(&self) -> &str {
        self.header("etag")
            .unwrap_or_else(|| panic!("no ETag in {}", self.describe()))
    }

    /// The target of the `Link` header's `rel="next"`, if any.
    pub fn next_link(&self) -> Option<String> {
        self.header_all("link")
            .into_iter()
            .flat_map(|value| value.split(','))
            .find(|link| link.contains("rel=\"next\""))
            .and_then(|link| {
                let start = link.find('<')? + 1;
                let end = link.find('>')?;
                Some(link[start..end].to_owned())
            })
    }

    /// Fails the test unless the status is `status`, showing the body when it is not.
    pub fn assert_status(&self, status: u16) -> &Response {
        assert_eq!(self.status, status, "unexpected {}", self.describe());
        self
    }

    /// A one-line summary for assertion messages.
    pub fn describe(&self) -> String {
        format!("response {}: {}", self.status, self.text)
    }
}

/// Asserts an RFC 9457 problem: the status, `Content-Type: application/problem+json`, and
/// the stable `code` (and `status` in the body agreeing with the status line).
pub fn assert_problem(response: &Response, status: u16, code: &str) {
    assert_eq!(
        response.status,
        status,
        "expected a {status} `{code}` problem, got {}",
        response.describe()
    );
    let content_type = response.header("content-type").unwrap_or("");
    assert!(
        content_type.starts_with("application/problem+json"),
        "expected Content-Type application/problem+json, got `{content_type}` in {}",
        response.describe()
    );
    assert_eq!(
        response.body["code"],
        code,
        "unexpected problem code in {}",
        response.describe()
    );
    assert_eq!(
        response.body["status"],
        status,
        "the problem's status disagrees with the status line in {}",
        response.describe()
    );
}
