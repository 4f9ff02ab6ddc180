#!/usr/bin/env python3
"""Hand check of one peer: one full authorization-code flow end to end, then (optionally) a
few seconds of flows and of refresh grants from a few concurrent clients.

Usage: check-flow.py PORT DATA_DIR [--load SECONDS] [--clients N]

Reads the peer's `describe` output (the script next to this file) and drives the pages the way
the outside harness does (issue 16): plain HTML forms, no JavaScript, a fresh cookie jar per flow.
Only the Python standard library. Rough figures: the client shares the 2 cores with the server.
"""
import base64
import hashlib
import html.parser
import http.client
import http.cookiejar
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


class Forms(html.parser.HTMLParser):
    """Collects every <form> with its inputs and submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.cur = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(),
                        "inputs": [], "buttons": []}
            self.forms.append(self.cur)
        elif self.cur is not None and tag == "input":
            self.cur["inputs"].append(a)
        elif self.cur is not None and tag == "button":
            self.cur["buttons"].append(a)

    def handle_endtag(self, tag):
        if tag == "form":
            self.cur = None


class LoopbackIsSecure(http.cookiejar.DefaultCookiePolicy):
    """Sends Secure cookies over plain http to loopback, as browsers do: Keycloak 26 marks its
    login cookies Secure (SameSite=None) even over http, and the login fails without them."""

    def return_ok_secure(self, cookie, request):
        host = urllib.parse.urlparse(request.get_full_url()).hostname
        return host in ("127.0.0.1", "localhost", "::1") or super().return_ok_secure(cookie, request)


class StopAtRedirectUri(urllib.request.HTTPRedirectHandler):
    def __init__(self, redirect_uri):
        self.redirect_uri = redirect_uri

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if newurl.startswith(self.redirect_uri):
            raise Landed(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Landed(Exception):
    def __init__(self, url):
        self.url = url


def describe(port, data_dir):
    out = subprocess.run([os.path.join(HERE, "peer"), "describe", str(port), data_dir],
                         check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def post_form(url, fields):
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def flow(d, verbose=False):
    """One flow; returns the token answer (dict). Raises on any deviation."""
    jar = http.cookiejar.CookieJar(LoopbackIsSecure())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         StopAtRedirectUri(d["REDIRECT_URI"]))
    verifier = b64url(secrets.token_bytes(32))
    state = secrets.token_urlsafe(8)
    q = {"response_type": "code", "client_id": d["CLIENT_ID"], "redirect_uri": d["REDIRECT_URI"],
         "scope": d["SCOPES"], "state": state,
         "code_challenge": b64url(hashlib.sha256(verifier.encode()).digest()),
         "code_challenge_method": "S256", "prompt": "consent"}
    if "openid" in d["SCOPES"].split():
        q["nonce"] = secrets.token_urlsafe(8)
    url = d["AUTHORIZE_URL"] + "?" + urllib.parse.urlencode(q)
    body, method, steps = None, "GET", []
    landed = None
    for _ in range(8):
        try:
            r = opener.open(urllib.request.Request(url, data=body, method=method))
            page, base = r.read().decode(), r.geturl()
        except Landed as l:
            landed = l.url
            break
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s %s after %s: %s" % (e.code, url, steps, e.read().decode(errors="replace")[:2000]))
        p = Forms()
        p.feed(page)
        if not p.forms:
            raise RuntimeError("no form on %s: %s" % (base, page[:300]))
        login = [f for f in p.forms if any(i.get("type") == "password" for i in f["inputs"])]
        if login:
            f = login[0]
            fields = [(i["name"], i.get("value") or "") for i in f["inputs"]
                      if i.get("name") and i.get("type") == "hidden"]
            fields += [(d["USER_FIELD"], d["USERNAME"]), (d["PASSWORD_FIELD"], d["PASSWORD"])]
            steps.append("login")
        else:
            f = p.forms[0]
            fields = [(i["name"], i.get("value") or "") for i in f["inputs"]
                      if i.get("name") and i.get("type") in ("hidden", "checkbox")]
            if d.get("CONSENT_SUBMIT"):
                fields.append(tuple(d["CONSENT_SUBMIT"].split("=", 1)))
            steps.append("consent(%s)" % ",".join(n for n, _ in fields if n != "code"))
        url = urllib.parse.urljoin(base, f["action"])
        method = "POST"
        body = urllib.parse.urlencode(fields).encode()
    if landed is None:
        raise RuntimeError("never reached the redirect URI; steps " + str(steps))
    cb = urllib.parse.parse_qs(urllib.parse.urlparse(landed).query)
    if cb.get("state") != [state] or "code" not in cb:
        raise RuntimeError("bad callback " + landed)
    st, tok = post_form(d["TOKEN_URL"], {
        "grant_type": "authorization_code", "code": cb["code"][0], "redirect_uri": d["REDIRECT_URI"],
        "code_verifier": verifier, "client_id": d["CLIENT_ID"], "client_secret": d["CLIENT_SECRET"]})
    if st != 200 or "access_token" not in tok or "refresh_token" not in tok:
        raise RuntimeError("token exchange %s %s" % (st, tok))
    if verbose:
        print("steps:", " -> ".join(steps), "-> redirect with code")
        print("token answer keys:", sorted(tok))
    return tok


def check(d):
    tok = flow(d, verbose=True)
    req = urllib.request.Request(d["API_URL"], headers={"Authorization": "Bearer " + tok["access_token"]})
    with urllib.request.urlopen(req) as r:
        print("API", r.status, r.read().decode())
    st, ref = post_form(d["TOKEN_URL"], {"grant_type": "refresh_token", "refresh_token": tok["refresh_token"],
                                         "client_id": d["CLIENT_ID"], "client_secret": d["CLIENT_SECRET"]})
    print("refresh", st, sorted(ref) if isinstance(ref, dict) else ref)
    assert st == 200 and "access_token" in ref
    rotated = ref.get("refresh_token") not in (None, tok["refresh_token"])
    print("refresh token rotated:", rotated, "(describe says REFRESH_ROTATES=%s)" % d["REFRESH_ROTATES"])
    st, old = post_form(d["TOKEN_URL"], {"grant_type": "refresh_token", "refresh_token": tok["refresh_token"],
                                         "client_id": d["CLIENT_ID"], "client_secret": d["CLIENT_SECRET"]})
    print("reusing the old refresh token:", st, old if st != 200 else "accepted")
    return ref


def run_for(seconds, clients, work):
    count, errors, lock = [0], [0], threading.Lock()
    end = time.monotonic() + seconds

    def loop(i):
        state = None
        while time.monotonic() < end:
            try:
                state = work(i, state)
                with lock:
                    count[0] += 1
            except Exception as e:  # noqa: BLE001 - count and go on
                with lock:
                    errors[0] += 1
                    if errors[0] <= 3:
                        print("  error:", e)
                state = None

    t0 = time.monotonic()
    ts = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return count[0] / (time.monotonic() - t0), errors[0]


def load(d, seconds, clients):
    rate, err = run_for(seconds, clients, lambda i, s: flow(d))
    print("flows: %.1f/s with %d clients for %ds (%d errors)" % (rate, clients, seconds, err))
    pool = [flow(d)["refresh_token"] for _ in range(clients)]
    u = urllib.parse.urlparse(d["TOKEN_URL"])

    def refresh(i, conn):
        conn = conn or http.client.HTTPConnection(u.hostname, u.port)
        conn.request("POST", u.path, urllib.parse.urlencode({
            "grant_type": "refresh_token", "refresh_token": pool[i],
            "client_id": d["CLIENT_ID"], "client_secret": d["CLIENT_SECRET"]}),
            {"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        body = json.loads(r.read())
        if r.status != 200:
            raise RuntimeError("refresh %s %s" % (r.status, body))
        pool[i] = body.get("refresh_token", pool[i])
        return conn

    rate, err = run_for(seconds, clients, refresh)
    print("refresh grants: %.0f/s with %d clients (keep-alive) for %ds (%d errors)" % (rate, clients, seconds, err))


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    d = describe(args[0], args[1])
    check(d)
    if "--load" in args:
        n = int(args[args.index("--clients") + 1]) if "--clients" in args else 4
        load(d, int(args[args.index("--load") + 1]), n)
