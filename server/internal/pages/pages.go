// Package pages is the duty room's screens over yingji-server (值班室页面):
// 接报 (intake with live grading), 响应名单 (the roster), 事件看板 (the board
// of open incidents), 已结束的事件 (the closed ones, latest first, with their
// print views), 事件页 (one incident: timeline, tasks, the forms of the
// events its phase allows) and the print views (the written report of 3.2
// and the closing summary of 5.3), in Chinese, with every asset embedded.
//
// # How the pages are built
//
// Each page is a small shell (layout, navigation, a login form) and one
// fragment rendered by html/template on the server. The shell's script
// fetches the fragment with the caller's bearer token, kept in
// sessionStorage, so that a server with a token file needs a token for
// every piece of data, exactly as the API does; without a token file the
// server listens on loopback only and no token is asked for. Writes (a new
// incident, an event) go from the browser straight to the API, /v1/…, with
// the same token: the pages never write on anyone's behalf, and a guard's
// rejection comes back as the API answers it.
//
// The fragments read incidents through the API in-process (the same handler,
// the same authentication, the same JSON), and the plan's vocabulary —
// input labels, units, localities and industries with their aliases, events
// and their fields, guards, tasks — from the library's plan (core.Plan.Library),
// so that nothing of a particular plan lives here: another plan's forms and
// reports come out of its own YAML.
//
// Drills (演练): an incident created with "drill": true is an exercise (the
// API's flag, fixed at creation; its id means nothing). The intake form's
// 演练 box sets the flag, and every page that shows an incident — the
// board, the list of closed incidents, the incident page, the roster for it, the print views — marks it
// from the incident's drill field.
//
// # Concurrency
//
// A *Pages is immutable after New and safe for concurrent use.
package pages

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/yingji/yingji/server/internal/core"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Caller is who a fragment is rendered for, as the server authenticated
// the request.
type Caller struct {
	// Name is the token's name ("anonymous" without a token file).
	Name string
	// Actors are the actor ids the caller may act as; nil means any.
	Actors []string
	// ReadOnly callers see no forms.
	ReadOnly bool
}

// mayActAs reports whether the caller may post an event as actor id.
func (c Caller) mayActAs(id string) bool {
	if c.Actors == nil {
		return true
	}
	for _, a := range c.Actors {
		if a == id {
			return true
		}
	}
	return false
}

// AuthError is an authentication failure: the status (401) and the API's
// error code.
type AuthError struct {
	Status  int
	Code    string
	Message string
}

func (e *AuthError) Error() string { return e.Message }

// Plans is where the pages find plans: the one served for new incidents,
// and the one an incident started under (by content hash).
type Plans interface {
	Current() *core.Plan
	Get(ctx context.Context, hash string) (*core.Plan, error)
}

// Config is what the pages are built from.
type Config struct {
	// API is the server's API handler; fragments read incidents through it
	// in-process, with the caller's Authorization header.
	API http.Handler
	// Plans gives the plans.
	Plans Plans
	// Now is the server's clock (deadlines, countdowns, default times).
	Now func() time.Time
	// Authenticate authenticates a fragment request (an *AuthError when
	// the token is missing or wrong).
	Authenticate func(*http.Request) (Caller, error)
	// Unauthenticated is set when the server has no token file.
	Unauthenticated bool
	// Fallback answers every request that is not a page (the API's 404 and
	// 405).
	Fallback http.Handler
	Logger   *slog.Logger
}

// Pages serves the duty-room pages.
type Pages struct {
	cfg    Config
	tmpl   *template.Template
	static http.Handler
	// version busts browser caches of the assets when they change.
	version string
}

// New parses the templates and prepares the pages.
func New(cfg Config) (*Pages, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Fallback == nil {
		cfg.Fallback = http.NotFoundHandler()
	}
	if cfg.Authenticate == nil {
		cfg.Authenticate = func(*http.Request) (Caller, error) { return Caller{Name: "anonymous"}, nil }
	}
	t, err := template.New("pages").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return &Pages{cfg: cfg, tmpl: t, static: http.FileServerFS(sub), version: assetVersion(sub)}, nil
}

// ServeHTTP serves the pages, their fragments and assets; anything else
// goes to the fallback.
func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case strings.HasPrefix(path, "/static/") && get:
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.StripPrefix("/static", p.static).ServeHTTP(w, r)
	case strings.HasPrefix(path, "/ui/"):
		p.serveFragment(w, r)
	case get:
		if sh, ok := shellFor(path); ok {
			p.serveShell(w, r, sh)
			return
		}
		p.cfg.Fallback.ServeHTTP(w, r)
	default:
		p.cfg.Fallback.ServeHTTP(w, r)
	}
}

// shell is one page: its title, the navigation entry it belongs to and
// the fragment its script loads.
type shell struct {
	Title    string
	Nav      string
	Fragment string
	Print    bool
}

func shellFor(path string) (shell, bool) {
	switch {
	case path == "/":
		return shell{Title: "接报", Nav: "intake", Fragment: "/ui/intake"}, true
	case path == "/roster":
		return shell{Title: "响应名单", Nav: "roster", Fragment: "/ui/roster"}, true
	case path == "/board":
		return shell{Title: "事件看板", Nav: "board", Fragment: "/ui/board"}, true
	case path == "/closed":
		return shell{Title: "已结束的事件", Nav: "board", Fragment: "/ui/closed"}, true
	}
	for _, pre := range []struct {
		prefix string
		sh     shell
	}{
		{"/incident/", shell{Title: "事件", Nav: "board", Fragment: "/ui/incident/"}},
		{"/print/report/", shell{Title: "文字报告", Nav: "board", Fragment: "/ui/print/report/", Print: true}},
		{"/print/summary/", shell{Title: "应急救援总结报告", Nav: "board", Fragment: "/ui/print/summary/", Print: true}},
	} {
		if id, ok := strings.CutPrefix(path, pre.prefix); ok && validID(id) {
			sh := pre.sh
			sh.Fragment += url.PathEscape(id)
			return sh, true
		}
	}
	return shell{}, false
}

// validID accepts what the API accepts as an incident id.
func validID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:", r)) {
			return false
		}
	}
	return true
}

// securityHeaders keeps the pages to their own origin: no inline script,
// no framing, nothing fetched from elsewhere (the intranet is offline).
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

type shellData struct {
	shell
	Version         string
	Unauthenticated bool
	Query           string
}

func (p *Pages) serveShell(w http.ResponseWriter, r *http.Request, sh shell) {
	if r.URL.RawQuery != "" {
		sh.Fragment += "?" + r.URL.RawQuery
	}
	p.render(w, http.StatusOK, "shell", shellData{shell: sh, Version: p.version, Unauthenticated: p.cfg.Unauthenticated})
}

// render executes a template into a buffer first, so that a failure is an
// error page, never half a page.
func (p *Pages) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		p.cfg.Logger.Error("pages: template", "template", name, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		_ = p.tmpl.ExecuteTemplate(&buf, "problem", problemData{Title: "页面出错", Message: "页面生成失败，请稍后重试或联系系统管理员。"})
	}
	h := w.Header()
	securityHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type problemData struct {
	Title   string
	Message string
	Detail  string
}

func (p *Pages) problem(w http.ResponseWriter, status int, title, msg, detail string) {
	p.render(w, status, "problem", problemData{Title: title, Message: msg, Detail: detail})
}

// serveFragment authenticates and renders one fragment.
func (p *Pages) serveFragment(w http.ResponseWriter, r *http.Request) {
	caller, err := p.cfg.Authenticate(r)
	if err != nil {
		var ae *AuthError
		status := http.StatusUnauthorized
		if errors.As(err, &ae) && ae.Status != 0 {
			status = ae.Status
		}
		w.Header().Set("Www-Authenticate", `Bearer realm="yingji"`)
		p.problem(w, status, "需要登录", "请输入值班令牌后继续。", "")
		return
	}
	rq := &request{p: p, r: r, caller: caller}
	path := strings.TrimPrefix(r.URL.Path, "/ui")
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case path == "/intake" && get:
		p.intake(w, rq)
	case path == "/grade" && r.Method == http.MethodPost:
		p.gradePreview(w, rq)
	case path == "/roster" && get:
		p.roster(w, rq)
	case path == "/board" && get:
		p.board(w, rq)
	case path == "/closed" && get:
		p.closed(w, rq)
	case strings.HasPrefix(path, "/incident/") && get:
		p.incident(w, rq, strings.TrimPrefix(path, "/incident/"))
	case strings.HasPrefix(path, "/print/report/") && get:
		p.printReport(w, rq, strings.TrimPrefix(path, "/print/report/"))
	case strings.HasPrefix(path, "/print/summary/") && get:
		p.printSummary(w, rq, strings.TrimPrefix(path, "/print/summary/"))
	default:
		p.problem(w, http.StatusNotFound, "没有这个页面", "请从上方导航进入接报、事件看板或响应名单。", "")
	}
}

// request is one fragment request: the caller and an in-process client of
// the API that carries the caller's Authorization header.
type request struct {
	p      *Pages
	r      *http.Request
	caller Caller
}

func (rq *request) ctx() context.Context { return rq.r.Context() }

// apiError is an answer of the API that is not a success.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// get reads path from the API into v.
func (rq *request) get(path string, v any) error {
	req, err := http.NewRequestWithContext(rq.ctx(), http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if a := rq.r.Header.Get("Authorization"); a != "" {
		req.Header.Set("Authorization", a)
	}
	req.Header.Set("Accept", "application/json")
	req.RemoteAddr = rq.r.RemoteAddr
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	rq.p.cfg.API.ServeHTTP(rec, req)
	if rec.status != http.StatusOK {
		var e struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		_ = json.Unmarshal(rec.body.Bytes(), &e)
		return &apiError{Status: rec.status, Code: e.Error.Code, Message: e.Error.Message}
	}
	return json.Unmarshal(rec.body.Bytes(), v)
}

// recorder is the in-process response of the API.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int) {
	if !r.wrote {
		r.status, r.wrote = s, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

// apiProblem renders a failed API read as a page.
func (p *Pages) apiProblem(w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		switch {
		case ae.Status == http.StatusUnauthorized:
			w.Header().Set("Www-Authenticate", `Bearer realm="yingji"`)
			p.problem(w, http.StatusUnauthorized, "需要登录", "请输入值班令牌后继续。", "")
			return
		case ae.Status == http.StatusNotFound:
			p.problem(w, http.StatusNotFound, "没有这个事件", "该事件不存在，或编号有误。请从事件看板进入。", "")
			return
		}
	}
	p.cfg.Logger.Error("pages: reading the API", "err", err)
	p.problem(w, http.StatusBadGateway, "读取失败", "服务器暂时无法提供数据，请稍后刷新。", "")
}
