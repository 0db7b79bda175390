//! The test-app builder every feature's tests reuse.

use app::shared::db::Db;
use app::shared::password::Hasher;
use app::shared::session::Role;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, ORIGIN};
use reqwest::{Client, Response};
use server::{Application, Config};
use sqlx::Connection;

pub struct TestApp {
    /// Where the server listens (`http://127.0.0.1:port`).
    pub base: String,
    /// Its public origin (`BASE_URL`), the `Origin` its pages send.
    pub origin: String,
    pub db: Db,
    pub database_url: String,
    /// The server's `SECRET_KEY`: a second server on the same database
    /// gets the same one, as app servers behind a load balancer must.
    pub secret: Option<app::shared::secret::SecretKey>,
}

fn unique(prefix: &str) -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("{prefix}{n:016x}")
}

/// A fresh, empty database for one test.
async fn fresh_database_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let name = unique("nk_test_");
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .expect("TEST_DATABASE_URL must point at a running PostgreSQL");
            sqlx::query(&format!("create database {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let (base, query) = match url.split_once('?') {
                Some((b, q)) => (b.to_string(), format!("?{q}")),
                None => (url.clone(), String::new()),
            };
            let prefix = base
                .rsplit_once('/')
                .map(|(p, _)| p.to_string())
                .unwrap_or(base);
            format!("{prefix}/{name}{query}")
        }
        _ => {
            let dir = std::env::temp_dir().join(unique("naik-kelas-test-"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}/test.db", dir.display())
        }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_on(&fresh_database_url().await, adjust).await
    }

    /// Another app server on the same database, as behind a load balancer.
    pub async fn second_server(&self) -> TestApp {
        self.second_server_with(|_| {}).await
    }

    /// Another app server on the same database with settings of its own
    /// (and the same secret).
    pub async fn second_server_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let secret = self.secret.clone();
        Self::spawn_on(&self.database_url, move |c| {
            c.secret_key = secret;
            adjust(c)
        })
        .await
    }

    pub async fn spawn_on(database_url: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(database_url);
        adjust(&mut config);
        let secret = config.secret_key.clone();
        let app = Application::build(config)
            .await
            .expect("application builds");
        let base = format!("http://{}", app.addr());
        let origin = app.base_url().to_string();
        let db = app.db().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        TestApp {
            base,
            origin,
            db,
            database_url: database_url.to_string(),
            secret,
        }
    }

    /// A fresh database URL, for tests that build the application
    /// themselves.
    pub async fn fresh_database_url() -> String {
        fresh_database_url().await
    }

    /// `n` of the same request at the same moment; their statuses.
    pub async fn at_once<F, Fut>(n: usize, make: F) -> Vec<u16>
    where
        F: Fn(usize) -> Fut,
        Fut: std::future::Future<Output = reqwest::Result<Response>> + Send + 'static,
    {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
        let mut tasks = Vec::with_capacity(n);
        for i in 0..n {
            let barrier = barrier.clone();
            let request = make(i);
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                request.await.expect("response").status().as_u16()
            }));
        }
        let mut statuses = Vec::with_capacity(n);
        for t in tasks {
            statuses.push(t.await.expect("request task"));
        }
        statuses
    }

    /// A client with its own cookie jar, sending what a same-origin
    /// script would: `Origin` and `Accept: application/json`.
    pub fn client(&self) -> Client {
        self.client_accepting("application/json")
    }

    /// A client that sends what a browser sends for a page: `Accept:
    /// text/html`, no redirects followed, its own cookie jar.
    pub fn browser(&self) -> Client {
        self.client_accepting("text/html,application/xhtml+xml,*/*;q=0.8")
    }

    fn client_accepting(&self, accept: &'static str) -> Client {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_str(&self.origin).unwrap());
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn register(
        &self,
        client: &Client,
        name: &str,
        identifier: &str,
        password: &str,
    ) -> Response {
        self.post(
            client,
            "/api/accounts/register",
            &[
                ("display_name", name),
                ("identifier", identifier),
                ("password", password),
                ("agree_privacy", "yes"),
            ],
        )
        .await
    }

    /// Registers and uses the code or link sent (read from the outbox, as a
    /// `.ci/start` user reads it from the log): the person is signed in on
    /// `client` when this returns 200. A failed registration's response is
    /// returned as it is.
    pub async fn signup(
        &self,
        client: &Client,
        name: &str,
        identifier: &str,
        password: &str,
    ) -> Response {
        let res = self.register(client, name, identifier, password).await;
        if res.status() != 200 {
            return res;
        }
        let handle = handle_of(&res);
        let secret = self.sent_secret(identifier, "accounts.signup_code").await;
        self.use_secret(client, "/api/accounts/verify", &handle, &secret, &[])
            .await
    }

    /// Posts a code (six digits) or link token to a verification endpoint.
    pub async fn use_secret(
        &self,
        client: &Client,
        path: &str,
        handle: &str,
        secret: &str,
        more: &[(&str, &str)],
    ) -> Response {
        let field = if secret.len() == 6 { "code" } else { "t" };
        let mut form = vec![("v", handle), (field, secret)];
        form.extend_from_slice(more);
        self.post(client, path, &form).await
    }

    /// The newest message of `kind` to an address or number (as typed):
    /// its body.
    pub async fn last_message(&self, identifier: &str, kind: &str) -> Option<String> {
        let to = app::accounts::domain::Identifier::parse(identifier)
            .expect("a valid identifier")
            .as_str()
            .to_string();
        let row: Option<(String,)> = sqlx::query_as(
            "select body from messages where destination = $1 and kind = $2 order by id desc limit 1",
        )
        .bind(&to)
        .bind(kind)
        .fetch_optional(&self.db.pool)
        .await
        .unwrap();
        row.map(|(b,)| b)
    }

    /// The code or link token in the newest message of `kind` to
    /// `identifier`.
    pub async fn sent_secret(&self, identifier: &str, kind: &str) -> String {
        let body = self
            .last_message(identifier, kind)
            .await
            .unwrap_or_else(|| panic!("no {kind} message to {identifier}"));
        secret_in(&body)
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.db.pool).await.unwrap();
        n
    }

    pub async fn login(&self, client: &Client, identifier: &str, password: &str) -> Response {
        self.post(
            client,
            "/api/accounts/login",
            &[("identifier", identifier), ("password", password)],
        )
        .await
    }

    /// The signed-in user as the server sees it (`null` when signed out).
    pub async fn me(&self, client: &Client) -> serde_json::Value {
        let res = self.post(client, "/api/session/me", &[]).await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// Creates an account directly with a role (as `create-admin` does).
    pub async fn user_with_role(&self, identifier: &str, password: &str, role: Role) -> i64 {
        let ident = app::accounts::domain::Identifier::parse(identifier).unwrap();
        app::accounts::server::create_user(
            &self.db,
            &Hasher::new(1),
            "Test User",
            &ident,
            password,
            role,
        )
        .await
        .expect("user created")
    }

    pub async fn audit_count(&self, action: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as("select count(*) from audit_log where action = $1")
            .bind(action)
            .fetch_one(&self.db.pool)
            .await
            .unwrap();
        n
    }
}

/// The verification handle of a register/forgot/change-contact answer
/// (`Location: /verify?v=…` or `/reset?v=…`).
pub fn handle_of(res: &Response) -> String {
    let location = res.headers()["location"].to_str().unwrap();
    let v = location
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("v="))
        .unwrap_or_else(|| panic!("no handle in {location}"));
    assert_eq!(v.len(), 32, "{location}");
    v.to_string()
}

/// A link's token (`t=…`) or else the first run of exactly six digits.
pub fn secret_in(body: &str) -> String {
    if let Some(i) = body.find("&t=") {
        return body[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
    }
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 6 {
                return chars[start..i].iter().collect();
            }
        } else {
            i += 1;
        }
    }
    panic!("no code or link in {body:?}")
}

pub async fn json(res: Response) -> serde_json::Value {
    res.json().await.expect("json body")
}

pub fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("nk_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
}
