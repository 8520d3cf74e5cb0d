# SPDX-License-Identifier: MIT
"""Drive a headless Chromium through the DevTools protocol, offline.

Chromium's --remote-debugging-pipe reads protocol commands from its file
descriptor 3 and writes answers and events to its descriptor 4, each
message a JSON text ended by a NUL byte; no port is opened and nothing
beyond the standard library is needed (Debian's python3 is enough).  The
browser runs with a throw-away profile, every host name unresolvable and
its own background traffic off, like run-case.sh's browse().

Used by the e2e cases that print a report to PDF at a given paper size
(headless --print-to-pdf only knows Letter) and that hover and click the
interactive charts:

    python3 cdp.py pdf PAGE.html OUT.pdf a4|letter
    python3 cdp.py eval PAGE.html SCRIPT.js       # prints the JSON result

SCRIPT.js is the body of an async function run in the page after it has
loaded; it may call the page-side helpers below and return any JSON value.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PAPER = {  # inches, as Page.printToPDF wants them
    "a4": (8.27, 11.69),
    "letter": (8.5, 11.0),
}


class Browser:
    def __init__(self, chromium=None):
        self.chromium = chromium or os.environ.get("CHROMIUM_CMD") or \
            shutil.which("chromium") or shutil.which("chromium-browser") or \
            shutil.which("google-chrome")
        if not self.chromium:
            raise SystemExit("cdp.py: no chromium found")
        self.profile = tempfile.mkdtemp(prefix="cdp-profile-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds():
            # the child's descriptors 3 and 4, whatever numbers the pipes
            # got (one of them may be 3 or 4 already: go through 100, 101)
            os.dup2(to_child_r, 100)
            os.dup2(from_child_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)
            os.close(100)
            os.close(101)

        self.proc = subprocess.Popen(
            [self.chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-breakpad",
             "--disable-features=Translate,OptimizationHints,MediaRouter",
             "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.profile, "stderr"), "wb"),
            preexec_fn=fds, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self._buf:
            if time.time() > deadline:
                raise TimeoutError("cdp.py: no answer from chromium")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise EOFError("cdp.py: chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=60):
        self._next += 1
        ident = self._next
        msg = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == ident:
                if "error" in m:
                    raise RuntimeError("cdp.py: %s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session=None, timeout=60):
        deadline = time.time() + timeout
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                del self.events[i]
                return m
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def open(self, path, width=1400, height=900):
        """A new tab showing file PATH; returns its session id."""
        target = self.send("Target.createTarget", {"url": "about:blank"})
        sess = self.send("Target.attachToTarget",
                         {"targetId": target["targetId"],
                          "flatten": True})["sessionId"]
        self.send("Page.enable", session=sess)
        self.send("Runtime.enable", session=sess)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": False}, session=sess)
        self.send("Page.navigate",
                  {"url": "file://" + os.path.abspath(path)}, session=sess)
        self.wait_event("Page.loadEventFired", session=sess)
        return sess

    def evaluate(self, sess, body):
        """Run BODY as an async function in the page; its JSON result."""
        expr = "(async () => {\n%s\n})()" % body
        r = self.send("Runtime.evaluate",
                      {"expression": expr, "awaitPromise": True,
                       "returnByValue": True}, session=sess)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise RuntimeError("cdp.py: page script failed: %s" %
                               d.get("exception", {}).get("description",
                                                          d.get("text")))
        return r["result"].get("value")

    def mouse(self, sess, kind, x, y, button="none", clicks=0):
        self.send("Input.dispatchMouseEvent",
                  {"type": kind, "x": x, "y": y, "button": button,
                   "clickCount": clicks}, session=sess)

    def pdf(self, sess, paper):
        import base64
        w, h = PAPER[paper]
        r = self.send("Page.printToPDF",
                      {"paperWidth": w, "paperHeight": h,
                       "marginTop": 0.4, "marginBottom": 0.4,
                       "marginLeft": 0.4, "marginRight": 0.4,
                       "printBackground": True,
                       "displayHeaderFooter": False}, session=sess,
                      timeout=120)
        return base64.b64decode(r["data"])

    def screenshot(self, sess, clip=None):
        """PNG bytes of the viewport, or of CLIP {x, y, width, height}
        (page coordinates)."""
        import base64
        params = {"format": "png", "captureBeyondViewport": True}
        if clip:
            params["clip"] = dict(clip, scale=1)
        return base64.b64decode(self.send("Page.captureScreenshot", params,
                                          session=sess)["data"])

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    b = Browser()
    try:
        sess = b.open(argv[2])
        if argv[1] == "pdf":
            with open(argv[3], "wb") as f:
                f.write(b.pdf(sess, argv[4]))
        elif argv[1] == "eval":
            with open(argv[3]) as f:
                print(json.dumps(b.evaluate(sess, f.read())))
        else:
            raise SystemExit(__doc__)
    finally:
        b.close()


if __name__ == "__main__":
    main(sys.argv)
