#!/usr/bin/python3
"""TLS to the database (issue 9 §4, docs/store.md "TLS to the database"),
against a private MariaDB listening on a loopback TCP port with
certificates made here by openssl:

- a CA, a server certificate for 127.0.0.1/localhost signed by it, a client
  certificate signed by it, and a second, unrelated CA;
- the database user urna_tls is created `REQUIRE SSL`, urna_x509
  `REQUIRE X509`;
- with `db_ssl_ca` = the right CA: `urna-sync --migrate` works and
  `/health` through urna.fcgi answers 200 (the server counted new TLS
  sessions);
- with another CA: refused, and the message names the certificate problem
  and db_ssl_ca (urna-sync exits 1; /health is 503 and urna.fcgi's log says
  why);
- a server certificate signed by the right CA but for another host name:
  refused (the host name is verified, not only the chain);
- no `db_ssl_ca` for a REQUIRE SSL user: refused, and the message says to
  set db_ssl_ca;
- REQUIRE X509: refused without a client certificate, accepted with
  `db_ssl_cert`/`db_ssl_key`;
- config mistakes: a certificate without its key, TLS with a unix socket,
  an unreadable CA file: each a clear error naming the key.

Skips (77) only if a server program or a binary is missing.
"""

import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import BUILDDIR, Checks, Fcgi, MariaDB, Urna, make_tmpdir  # noqa: E402

t = Checks("dbtls_test")
SYNC = os.path.join(BUILDDIR, "urna-sync")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "openssl",
                   os.path.join(BUILDDIR, "urna.fcgi"), SYNC,
                   os.path.join(BUILDDIR, "urna-tally"))


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=60)


def make_ca(d, name):
    key, crt = os.path.join(d, name + ".key"), os.path.join(d, name + ".pem")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
            "-days", "2", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return key, crt


def make_cert(d, name, ca, san, client=False):
    """A certificate NAME signed by ca=(key, crt) with subjectAltName san."""
    key, csr, crt = (os.path.join(d, name + ext) for ext in (".key", ".csr", ".pem"))
    ext = os.path.join(d, name + ".ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\n")
        f.write("extendedKeyUsage=%s\n" % ("clientAuth" if client else "serverAuth"))
        if san:
            f.write("subjectAltName=%s\n" % san)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
            "-subj", "/CN=" + name)
    openssl("x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0], "-CAcreateserial",
            "-out", crt, "-days", "2", "-extfile", ext)
    os.chmod(key, 0o644)  # mariadbd may run as another user than the test
    return crt, key


def ssl_accepts(db):
    out = db.sql("SHOW GLOBAL STATUS LIKE 'Ssl_accepts'")
    return int(out.split()[1])


def migrate(app):
    """urna-sync --migrate with app's config: (exit status, output)."""
    r = subprocess.run([SYNC, "--config", app.config_path, "--migrate"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=120)
    if r.returncode != 0:  # the message, for the test log
        print("# urna-sync said: " + r.stdout.strip().replace("\n", "\n#   "))
    return r.returncode, r.stdout


# ---------------------------------------------------------------------------
t.section("certificates (openssl)")
certs = make_tmpdir("dbtls-certs")
ca = make_ca(certs, "urna-test-ca")
other_ca = make_ca(certs, "some-other-ca")
server_crt, server_key = make_cert(certs, "db-server", ca, "IP:127.0.0.1,DNS:localhost")
client_crt, client_key = make_cert(certs, "urna-client", ca, None, client=True)
# Signed by the right CA, but for another host.
wrong_host_crt, wrong_host_key = make_cert(certs, "db-elsewhere", ca, "DNS:db.example.org")
# The files the server reads; replaced (FLUSH SSL) to serve another certificate.
live_crt, live_key = os.path.join(certs, "live.pem"), os.path.join(certs, "live.key")


def serve_cert(crt, key):
    for src, dst in ((crt, live_crt), (key, live_key)):
        with open(src, "rb") as f, open(dst, "wb") as g:
            g.write(f.read())
        os.chmod(dst, 0o644)


serve_cert(server_crt, server_key)
t.check("CA, server, client and wrong-host certificates made", all(
    os.path.exists(p) for p in (ca[1], other_ca[1], server_crt, client_crt, wrong_host_crt)))

db = MariaDB(ssl=(ca[1], live_crt, live_key))
t.watch(db)
db.start()
t.check("MariaDB listens on a loopback TCP port with TLS",
        "YES" in db.sql("SHOW GLOBAL VARIABLES LIKE 'have_ssl'"), db.sql("SHOW GLOBAL VARIABLES LIKE 'have_ssl'"))
db.sql("CREATE USER 'urna_tls'@'%' IDENTIFIED BY 'tls-secret' REQUIRE SSL;\n"
       "GRANT ALL ON urna_test.* TO 'urna_tls'@'%';\n"
       "CREATE USER 'urna_x509'@'%' IDENTIFIED BY 'x509-secret' REQUIRE X509;\n"
       "GRANT ALL ON urna_test.* TO 'urna_x509'@'%';\n")


class TlsDb:
    """What Urna() reads from a MariaDB: host, user, password, database."""

    def __init__(self, user, password):
        self.host, self.user, self.password, self.database = db.tcp_host, user, password, db.database


def urna(user="urna_tls", password="tls-secret", **tls):
    return Urna(TlsDb(user, password), workers=1, **tls)


# ---------------------------------------------------------------------------
t.section("the right CA: migrate, /health through urna.fcgi")
before = ssl_accepts(db)
good = urna(db_ssl_ca=ca[1])
rc, out = migrate(good)
t.equal("urna-sync --migrate over TLS (REQUIRE SSL user) exits 0", rc, 0, out)
version = db.sql("SELECT MAX(version) FROM schema_version", database=db.database).strip()
t.check("the schema was created through that connection", version.isdigit() and int(version) >= 1,
        version)
good.start()
health = Fcgi(good.socket).get("/urna/health")
t.equal("/health through urna.fcgi over TLS", health.status, 200, health.body[:300])
t.check("the server counted new TLS sessions", ssl_accepts(db) >= before + 2,
        "%d -> %d" % (before, ssl_accepts(db)))
good.stop()

# ---------------------------------------------------------------------------
t.section("a wrong CA is refused, and says why")
wrong = urna(db_ssl_ca=other_ca[1])
rc, out = migrate(wrong)
t.check("urna-sync --migrate with another CA fails", rc != 0, out)
t.check("the message names the certificate problem", "certificate" in out.lower(), out)
t.check("the message names db_ssl_ca and the file", "db_ssl_ca" in out and other_ca[1] in out, out)
t.check("the password is not in the message", "tls-secret" not in out, out)
wrong.start()
health = Fcgi(wrong.socket).get("/urna/health")
t.equal("/health with a wrong CA is 503", health.status, 503, health.body[:300])
log = open(wrong.log, encoding="utf-8", errors="replace").read()
t.check("urna.fcgi's log names the certificate problem",
        "certificate" in log and "db_ssl_ca" in log, log[-2000:])
t.check("nothing of it reaches the visitor", b"db_ssl_ca" not in health.body
        and b"certificate" not in health.body, health.body[:300])
wrong.stop()

# ---------------------------------------------------------------------------
t.section("the right CA, but a certificate for another host name")
serve_cert(wrong_host_crt, wrong_host_key)
db.sql("FLUSH SSL")
rc, out = migrate(urna(db_ssl_ca=ca[1]))
t.check("a server certificate for db.example.org is refused on 127.0.0.1", rc != 0, out)
t.check("... naming the certificate problem", "certificate" in out.lower(), out)
serve_cert(server_crt, server_key)
db.sql("FLUSH SSL")
rc, out = migrate(urna(db_ssl_ca=ca[1]))
t.equal("the right certificate again: accepted", rc, 0, out)

# ---------------------------------------------------------------------------
t.section("no db_ssl_ca for a user the server requires TLS of")
rc, out = migrate(urna())
t.check("refused", rc != 0, out)
t.check("the message says the server may require TLS and to set db_ssl_ca",
        "REQUIRE SSL" in out and "db_ssl_ca" in out, out)

# ---------------------------------------------------------------------------
t.section("a client certificate (REQUIRE X509)")
rc, out = migrate(urna("urna_x509", "x509-secret", db_ssl_ca=ca[1]))
t.check("without a client certificate: refused", rc != 0, out)
t.check("... and the message says to set db_ssl_cert and db_ssl_key",
        "REQUIRE X509" in out and "db_ssl_cert" in out, out)
rc, out = migrate(urna("urna_x509", "x509-secret", db_ssl_ca=ca[1], db_ssl_cert=client_crt,
                       db_ssl_key=client_key))
t.equal("with db_ssl_cert and db_ssl_key: accepted", rc, 0, out)

# ---------------------------------------------------------------------------
t.section("configuration mistakes")
rc, out = migrate(urna(db_ssl_ca=ca[1], db_ssl_cert=client_crt))
t.check("db_ssl_cert without db_ssl_key: an error naming the key",
        rc != 0 and "db_ssl_cert" in out and "db_ssl_key" in out, out)
rc, out = migrate(urna(db_ssl_cert=client_crt, db_ssl_key=client_key))
t.check("a client certificate without db_ssl_ca: an error naming db_ssl_ca",
        rc != 0 and "db_ssl_ca" in out, out)
unix = Urna(db, workers=1, db_ssl_ca=ca[1])
rc, out = migrate(unix)
t.check("db_ssl_ca with a unix socket db_host: an error saying TLS needs tcp://",
        rc != 0 and "db_ssl_ca" in out and "tcp://" in out, out)
missing = os.path.join(certs, "no-such-ca.pem")
rc, out = migrate(urna(db_ssl_ca=missing))
t.check("an unreadable CA file: an error naming db_ssl_ca and the file",
        rc != 0 and "db_ssl_ca" in out and missing in out and "cannot be read" in out, out)

t.done()
