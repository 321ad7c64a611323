package pages_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/api"
)

// The browser tests drive Debian's chromium headless through chromedp.
// .ci/run installs it when missing and sets YINGJI_BROWSER to its path;
// with YINGJI_BROWSER set and no browser there the tests fail, so CI can
// never pass them silently. Unset (a developer's machine), they skip:
//
//	YINGJI_BROWSER=/usr/bin/chromium go test ./internal/pages/
//
// Screenshots of every page at 1366×768 and at phone width (390×844) are
// written to $YINGJI_ARTIFACTS/screenshots, or to testdata/screenshots
// beside this file when YINGJI_ARTIFACTS is unset; they are artifacts to
// look at, not compared pixel by pixel. Each is checked for horizontal
// overflow.

// browserPath is the browser the tests drive.
func browserPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("YINGJI_BROWSER")
	if path == "" {
		t.Skip("YINGJI_BROWSER is not set: the browser tests run under .ci/run, or with YINGJI_BROWSER=/usr/bin/chromium")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("YINGJI_BROWSER=%s: %v (install Debian's chromium: apt-get install chromium)", path, err)
	}
	return path
}

func screenshotDir(t *testing.T) string {
	dir := filepath.Join("testdata", "screenshots")
	if a := os.Getenv("YINGJI_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "screenshots")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// tab is one browser tab on one server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newTab starts the browser as the machine runs it as root: headless, no
// sandbox, no GPU, no QUIC, nothing fetched in the background, a fresh
// profile.
func newTab(t *testing.T, e *env) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)), "starting the browser")
	return &tab{t: t, ctx: ctx, base: e.http.URL}
}

// with runs actions with a time limit, on the tab's browser.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, actions...))
}

func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(b.t, err, expr)
	return v
}

// wait evaluates a JavaScript condition until it holds. It survives a
// navigation (chromedp's Poll does not): an evaluation that fails because
// the page is changing is tried again.
func (b *tab) wait(cond string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s: %v", cond, last)
}

// open navigates to a page and waits until its fragment is in place.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
	b.loaded()
}

// loaded waits until the page's fragment is in place.
func (b *tab) loaded() {
	b.t.Helper()
	b.wait(`document.querySelector('#main .fragment') !== null && !document.querySelector('#main').hasAttribute('aria-busy')`)
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ''}).innerText`, sel))
}

// shoot writes a screenshot of the page at desktop and phone width and
// checks that neither scrolls sideways.
func (b *tab) shoot(name string) {
	b.t.Helper()
	dir := screenshotDir(b.t)
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{1366, 768, false}, {390, 844, true}} {
		if size.mobile {
			b.do(chromedp.EmulateViewport(size.w, size.h, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		} else {
			b.do(chromedp.EmulateViewport(size.w, size.h))
		}
		b.do(chromedp.Sleep(150 * time.Millisecond))
		overflow := eval[[]float64](b, `[document.scrollingElement.scrollWidth, window.innerWidth]`)
		assert.LessOrEqual(b.t, overflow[0], overflow[1], "%s at %d×%d scrolls sideways", name, size.w, size.h)
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		require.NoError(b.t, err)
		require.NoError(b.t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", name, size.w, size.h)), png, 0o644))
	}
	b.do(chromedp.EmulateViewport(1366, 768))
}

// checkPage checks what every page must be: Chinese, every form field
// labelled, nothing loaded from another origin.
func (b *tab) checkPage(name string) {
	b.t.Helper()
	assert.Equal(b.t, "zh-CN", eval[string](b, `document.documentElement.lang`), name)
	unlabelled := eval[[]string](b, `Array.from(document.querySelectorAll('input, select, textarea'))
		.filter(el => el.type !== 'hidden')
		.filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
		.map(el => el.id || el.outerHTML.slice(0, 80))`)
	assert.Empty(b.t, unlabelled, "%s: form fields without a label", name)
	foreign := eval[[]string](b, `performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin) && !n.startsWith('data:'))`)
	assert.Empty(b.t, foreign, "%s: resources from elsewhere", name)
}

// fillIntake fills the 接报 form: 州应急管理局 receives a phone report
// (the default way) from 昌吉市应急管理局.
func (b *tab) fillIntake(deaths, locality, industry, note string) {
	b.t.Helper()
	b.do(
		chromedp.SetValue(chromedp.CSS(`#intake-actor`), "yjj"),
		chromedp.SetValue(chromedp.CSS(`#intake-from`), "changji-city-yjj"),
		chromedp.SendKeys(chromedp.CSS(`#intake-incident-deaths`), deaths),
		chromedp.SendKeys(chromedp.CSS(`#intake-incident-localities-q`), locality+kb.Enter),
		chromedp.SendKeys(chromedp.CSS(`#intake-incident-industries-q`), industry+kb.Enter),
		chromedp.SendKeys(chromedp.CSS(`#intake-summary`), note),
	)
}

// submitIntake creates the incident and returns its id from the page it
// lands on.
func (b *tab) submitIntake() string {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]`)))
	b.wait(`location.pathname.startsWith('/incident/')`)
	b.loaded()
	return strings.TrimPrefix(eval[string](b, `location.pathname`), "/incident/")
}

// TestDutyRoom drives the pages as a duty officer would, on the test clock:
// an intake graded as it is filled, the roster, a rejected activation, a
// late written report, the print views, a drill, a closed incident under
// 已结束的事件; then screenshots of every page at both sizes.
func TestDutyRoom(t *testing.T) {
	browserPath(t)
	e := newEnv(t, nil)
	b := newTab(t, e)
	var id string

	t.Run("1.5 重大 (1): deaths=12 grades 重大 / Ⅱ级 as the intake form is filled", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.checkPage("接报")
		b.fillIntake("12", "昌吉市", "道路交通事故", `<script>window.pwned=1</script>路口两车相撞`)
		b.wait(`(document.querySelector('#grade-level') || {}).textContent === '重大'`)
		assert.Equal(t, "Ⅱ级应急响应", b.text(`#grade-response`))
		panel := b.text(`#grade`)
		assert.Contains(t, panel, "1.5 重大 (1)")
		assert.Contains(t, panel, "死亡（含失踪）至少 12人")
		assert.Contains(t, panel, "自治区指挥部决定启动Ⅱ级应急响应", "4.2: 由自治区指挥部决定启动Ⅰ级、Ⅱ级应急响应程序")
		assert.Contains(t, panel, "属于本预案适用范围", "1.3")
		checked := eval[[]string](b, `Array.from(document.querySelectorAll('#intake-form .picklist input:checked')).map(c => c.parentElement.textContent.trim())`)
		assert.ElementsMatch(t, []string{"昌吉市", "道路交通"}, checked, "道路交通事故 is an alias of 道路交通")
	})

	t.Run("unknown is not zero: an empty loss is listed as could-raise", func(t *testing.T) {
		b.t = t
		assert.Equal(t, "", eval[string](b, `document.querySelector('#intake-incident-directLoss').value`))
		rise := b.text(`#grade .rise`)
		assert.Contains(t, rise, "仍可能升级为特别重大")
		assert.Contains(t, rise, "直接经济损失：可能升至特别重大")
		assert.Contains(t, rise, "1 亿元以上")
		b.shoot("intake")
	})

	t.Run("3.2 creating the incident records report.received and starts the 15-minute clock", func(t *testing.T) {
		b.t = t
		id = b.submitIntake()
		require.True(t, strings.HasPrefix(id, "inc-"), id)
		b.checkPage("事件页")
		tl := b.text(`.timeline`)
		assert.Contains(t, tl, "接到事故报告")
		assert.Contains(t, tl, "行为主体：昌吉州应急管理局 · 录入：本机（未启用令牌）")
		assert.Contains(t, tl, "报告单位\n昌吉市应急管理局")
		assert.Contains(t, tl, "<script>window.pwned=1</script>路口两车相撞", "a note is text")
		assert.Equal(t, "undefined", eval[string](b, `typeof window.pwned`))
		dl := b.text(`.col-dl .deadline`)
		assert.Contains(t, dl, "15 分钟内补报文字报告")
		assert.Regexp(t, `剩余 1[45]:\d\d`, dl)
		assert.Contains(t, b.text(`.incident-head`), "重大")
		assert.Contains(t, b.text(`.incident-head`), "先期处置")
	})

	t.Run("roster: 州应急管理局's numbers are tel: links; 视情况 marked; on two A4 pages", func(t *testing.T) {
		b.t = t
		b.open("/roster?incident=" + id)
		b.checkPage("响应名单")
		for _, n := range []string{"18999552212", "19999566699", "0994-2337910"} {
			assert.Equal(t, 1.0, eval[float64](b, fmt.Sprintf(`Math.min(1, document.querySelectorAll('a[href="tel:%s"]').length)`, n)), "附件 8.5 (2): tel:%s", n)
		}
		assert.Contains(t, b.text(`.entries`), "视情况")
		assert.Greater(t, eval[float64](b, `document.querySelectorAll('tr.is-cond').length`), 0.0)
		assert.False(t, eval[bool](b, `document.querySelector('details.why').open`), "reasons on demand")
		b.do(chromedp.Click(chromedp.CSS(`[data-expand]`)))
		assert.True(t, eval[bool](b, `Array.from(document.querySelectorAll('details.why')).every(d => d.open)`))
		b.do(chromedp.Click(chromedp.CSS(`[data-expand]`)))
		ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		cancel()
		require.NoError(t, err)
		pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
		assert.True(t, pages >= 1 && pages <= 2, "the roster prints on one or two A4 pages, not %d", pages)
		require.NoError(t, os.WriteFile(filepath.Join(screenshotDir(t), "roster-A4.pdf"), pdf, 0o644))
		b.shoot("roster")
	})

	t.Run("4.2 an activation by the wrong body is rejected with its clause, in place; nothing is recorded", func(t *testing.T) {
		b.t = t
		b.open("/incident/" + id)
		before := eval[float64](b, `document.querySelectorAll('.timeline li').length`)
		b.do(
			chromedp.Click(chromedp.CSS(`#ev-response-activated summary`)),
			chromedp.SetValue(chromedp.CSS(`#ev-response-activated-actor`), "yjj"),
			chromedp.SetValue(chromedp.CSS(`#ev-response-activated-level`), "serious"),
			chromedp.Click(chromedp.CSS(`#ev-response-activated button[type=submit]`)),
		)
		b.wait(`!document.querySelector('#ev-response-activated .form-error').hidden`)
		msg := b.text(`#ev-response-activated .form-error`)
		assert.Contains(t, msg, "依据 4.2; 4.3")
		assert.Contains(t, msg, "Ⅰ级、Ⅱ级应急响应由自治区指挥部", "the guard's message, from the plan")
		assert.Contains(t, msg, "没有记录任何内容")
		assert.Equal(t, before, eval[float64](b, `document.querySelectorAll('.timeline li').length`), "the timeline is unchanged")
		assert.Equal(t, "#ev-response-activated .form-error", "#ev-response-activated ."+eval[string](b, `document.activeElement.className`), "focus moves to the message")
		status, body := e.do("GET", "/v1/incidents/"+id, "")
		require.Equal(t, 200, status)
		assert.Contains(t, body, `"phase":"initial-response"`, "nothing half-applied")

		b.open("/incident/" + id)
		rejected := b.text(`.timeline li.rejected`)
		assert.Contains(t, rejected, "启动应急响应")
		assert.Contains(t, rejected, "被拒绝")
		assert.Contains(t, rejected, "依据 4.2; 4.3")
	})

	t.Run("4.2 the body 4.2 names activates Ⅱ级; command goes to the site HQ", func(t *testing.T) {
		b.t = t
		b.do(
			chromedp.Click(chromedp.CSS(`#ev-response-activated summary`)),
			chromedp.SetValue(chromedp.CSS(`#ev-response-activated-actor`), "xj-hq"),
			chromedp.SetValue(chromedp.CSS(`#ev-response-activated-level`), "serious"),
			chromedp.Click(chromedp.CSS(`#ev-response-activated button[type=submit]`)),
		)
		b.wait(`document.querySelector('.incident-head') && document.querySelector('.incident-head').innerText.includes('Ⅱ级应急响应')`)
		head := b.text(`.incident-head`)
		assert.Contains(t, head, "应急响应")
		assert.Contains(t, head, "现场应急救援指挥部")
		assert.Contains(t, b.text(`#flash`), "已记录：启动应急响应")
	})

	t.Run("3.2 a written report 16 minutes after the phone report is 迟报 on the board", func(t *testing.T) {
		b.t = t
		e.clock.Advance(16 * time.Minute)
		b.open("/board")
		b.checkPage("事件看板")
		row := b.text(`tr.is-overdue`)
		assert.Contains(t, row, "15 分钟内补报文字报告", "overdue before the report comes in")
		assert.Contains(t, row, "迟报")
		assert.Equal(t, "rgb(179, 20, 28)", eval[string](b, `getComputedStyle(document.querySelector('tr.is-overdue .late-label')).backgroundColor`), "in red")

		b.open("/incident/" + id)
		b.do(
			chromedp.Click(chromedp.CSS(`#ev-report-written summary`)),
			chromedp.SetValue(chromedp.CSS(`#ev-report-written-actor`), "local-emergency-bureau"),
			chromedp.Click(chromedp.CSS(`#ev-report-written [data-check-all]`)),
			chromedp.Click(chromedp.CSS(`#ev-report-written button[type=submit]`)),
		)
		b.wait(`document.querySelector('#flash') && !document.querySelector('#flash').hidden`)
		flags := b.text(`.incident-head .flags`)
		assert.Contains(t, flags, "迟报（3.2）")
		assert.Regexp(t, `15 分钟内补报文字报告：开启后 1[67] 分.*完成，时限 15 分钟，超时 [12] 分`, flags, "the library's note, by name and in Chinese")
		assert.NotRegexp(t, `[A-Za-z]{3,}`, flags)

		b.open("/board")
		row = b.text(`.board-table tbody tr`)
		assert.Contains(t, row, "迟报")
		assert.Equal(t, "rgb(179, 20, 28)", eval[string](b, `getComputedStyle(document.querySelector('.board-table .tag.late')).backgroundColor`))
	})

	t.Run("3.2 the print view holds the five report items, prefilled", func(t *testing.T) {
		b.t = t
		b.open("/print/report/" + id)
		b.checkPage("文字报告")
		doc := b.text(`.report`)
		for _, item := range []string{"报告单位和联系人、联系方式、报告时间", "事故类型", "事故基本情况", "预计事故事态发展情况", "需要支援的项目"} {
			assert.Contains(t, doc, item, "3.2 (1)–(5)")
		}
		assert.Contains(t, doc, "报告单位：昌吉市应急管理局")
		assert.Contains(t, doc, "值班电话：0994-2337910")
		assert.Contains(t, doc, "死亡 12人")
		assert.Contains(t, doc, "失踪 未知", "unknown stays unknown on paper")
		assert.Contains(t, doc, "行业领域：道路交通")
		assert.Contains(t, doc, "迟报")
		assert.Equal(t, 5.0, eval[float64](b, `document.querySelectorAll('.report-items > li').length`))
		b.shoot("print-report")
	})

	t.Run("5.3 the closing summary print view", func(t *testing.T) {
		b.t = t
		b.open("/print/summary/" + id)
		b.checkPage("总结报告")
		doc := b.text(`.summary`)
		assert.Contains(t, doc, "应急救援总结报告")
		assert.Contains(t, doc, "5.3")
		assert.Contains(t, doc, "应急救援经验教训")
		assert.Contains(t, doc, "补报文字报告")
		assert.Contains(t, doc, "迟报")
		b.shoot("print-summary")
	})

	t.Run("drills are marked 演练 on every page they appear on", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.fillIntake("1", "奇台", "危化品", "综合演练")
		b.do(chromedp.Click(chromedp.CSS(`#intake-drill`)))
		b.wait(`(document.querySelector('#grade-level') || {}).textContent === '一般'`)
		drill := b.submitIntake()
		// The form still names a drill drill-… for people who read ids;
		// what marks it is the flag it posts.
		require.True(t, strings.HasPrefix(drill, "drill-"), drill)
		e.t = t
		status, body := e.do("GET", "/v1/incidents/"+drill, "")
		require.Equal(t, http.StatusOK, status, body)
		assert.Contains(t, body, `"drill":true`, "the 演练 box posts drill: true")
		assert.Contains(t, b.text(`.incident-head h1`), "演练")
		assert.Contains(t, b.text(`.incident-head h1`), "奇台县 · 危险化学品")
		b.open("/board")
		assert.Contains(t, b.text(`tr.is-drill`), "演练")
		assert.NotContains(t, b.text(`tr:not(.is-drill)`), "演练")
		b.open("/print/report/" + drill)
		assert.Contains(t, b.text(`.drill-banner`), "演练")
		b.open("/roster?incident=" + drill)
		assert.Contains(t, b.text(`.incident-ref`), "演练")
	})

	t.Run("an incident named drill-… but created without the flag is not marked 演练", func(t *testing.T) {
		b.t, e.t = t, t
		const lookalike = "drill-lookalike"
		status, body := e.do("POST", "/v1/incidents", firstReport(lookalike, "真实事故，编号碰巧以 drill- 开头"))
		require.Equal(t, http.StatusCreated, status, body)
		b.open("/incident/" + lookalike)
		assert.Contains(t, b.text(`.incident-head h1`), "昌吉市")
		assert.NotContains(t, b.text(`.incident-head`), "演练")
		b.open("/board")
		row := eval[[]string](b, `(r => r ? [r.className, r.innerText] : ['missing', ''])(document.querySelector('a[href="/incident/`+lookalike+`"]')?.closest('tr'))`)
		assert.NotEqual(t, "missing", row[0], "the incident is on the board")
		assert.NotContains(t, row[0], "is-drill")
		assert.NotContains(t, row[1], "演练")
		assert.Equal(t, 1, eval[int](b, `document.querySelectorAll('tr.is-drill').length`), "the one drill made by the form")
		b.open("/print/report/" + lookalike)
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll('.drill-banner').length`))
		assert.NotContains(t, b.text(`#main`), "演练")
		b.open("/print/summary/" + lookalike)
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll('.drill-banner').length`))
		b.open("/roster?incident=" + lookalike)
		assert.Contains(t, b.text(`.incident-ref`), "昌吉市")
		assert.NotContains(t, b.text(`.incident-ref`), "演练")
	})

	t.Run("5.3 a closed incident is under 已结束的事件, reached from the board by keyboard, with its print views", func(t *testing.T) {
		b.t, e.t = t, t
		// 7.2 drill 1, replayed to its 结案 after the summary report.
		const closed = "inc-qitai-collapse"
		e.replayDrill("iv-county.yaml", closed, true)
		b.open("/board")
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll('a[href="/incident/`+closed+`"]').length`), "the board shows open incidents only")
		b.do(chromedp.Focus(chromedp.CSS(`a[href="/closed"]`)), chromedp.KeyEvent(kb.Enter))
		b.wait(`location.pathname === '/closed'`)
		b.loaded()
		b.checkPage("已结束的事件")
		assert.Equal(t, "已结束的事件 · 应急值班室", eval[string](b, `document.title`))
		assert.Contains(t, b.text(`.board-summary`), "已结束 1 起，其中演练 1 起")
		row := b.text(`.closed-table tbody tr`)
		assert.Contains(t, row, "奇台县 · 房屋市政工程 生产安全事故")
		assert.Contains(t, row, "一般")
		assert.Contains(t, row, "Ⅳ级应急响应")
		assert.Contains(t, row, "演练")
		assert.Contains(t, row, "2025-10-15 20:10（新疆时间）")
		assert.NotContains(t, row, closed, "no id where a name exists")
		assert.Equal(t, []string{"/incident/" + closed, "/print/report/" + closed, "/print/summary/" + closed},
			eval[[]string](b, `Array.from(document.querySelectorAll('.closed-table tbody a')).map(a => a.getAttribute('href'))`))
		assert.Equal(t, 0, eval[int](b, `document.querySelectorAll('a[href="/incident/`+id+`"]').length`), "an open incident is not listed")
		b.shoot("closed")

		b.do(chromedp.Focus(chromedp.CSS(`a[href="/print/summary/`+closed+`"]`)), chromedp.KeyEvent(kb.Enter))
		b.wait(`location.pathname === '/print/summary/` + closed + `'`)
		b.loaded()
		assert.Contains(t, b.text(`.summary`), "应急救援总结报告")
		b.open("/incident/" + closed)
		assert.Equal(t, "返回已结束的事件", b.text(`.actions a[href="/closed"]`))
	})

	t.Run("screenshots of the board and the incident at both sizes", func(t *testing.T) {
		b.t = t
		b.open("/board")
		b.shoot("board")
		b.open("/incident/" + id)
		b.do(chromedp.Click(chromedp.CSS(`#ev-report-followup summary`)))
		b.shoot("incident")
	})

	t.Run("keyboard: the skip link and a form reached and opened from the keyboard", func(t *testing.T) {
		b.t = t
		b.open("/incident/" + id)
		b.do(chromedp.Focus(chromedp.CSS(`#ev-assessment-updated summary`)), chromedp.KeyEvent(kb.Enter))
		assert.True(t, eval[bool](b, `document.querySelector('#ev-assessment-updated').open`))
		assert.Equal(t, "跳到正文", eval[string](b, `document.querySelector('a.skip').textContent`))
		tabbable := eval[[]string](b, `Array.from(document.querySelectorAll('[tabindex]')).filter(el => el.tabIndex > 0).map(el => el.outerHTML.slice(0, 60))`)
		assert.Empty(t, tabbable, "no positive tabindex reorders the keyboard")
	})
}

// TestLogin: with a token file the pages ask for the token, keep it in
// sessionStorage and send it as a bearer header.
func TestLogin(t *testing.T) {
	browserPath(t)
	e := newEnv(t, api.Tokens{api.HashToken("duty-token"): {Name: "zhou-duty", Actors: map[string]bool{"yjj": true}}})
	b := newTab(t, e)
	b.do(chromedp.Navigate(b.base + "/board"))
	b.wait(`!document.querySelector('#login').hidden`)
	b.checkPage("登录")
	b.shoot("login")
	b.do(chromedp.SendKeys(chromedp.CSS(`#token`), "wrong"+kb.Enter))
	b.wait(`!document.querySelector('#login-error').hidden`)
	assert.Contains(t, b.text(`#login-error`), "令牌无效")
	b.do(chromedp.SendKeys(chromedp.CSS(`#token`), "duty-token"+kb.Enter))
	b.loaded()
	assert.Contains(t, b.text(`#main h1`), "事件看板")
	assert.Equal(t, "duty-token", eval[string](b, `sessionStorage.getItem('yingji.token')`))
	b.open("/")
	assert.Equal(t, []string{"", "yjj"}, eval[[]string](b, `Array.from(document.querySelectorAll('#intake-actor option')).map(o => o.value)`),
		"the token acts as 州应急管理局 only")
	var buf bytes.Buffer
	buf.WriteString(b.text(`#main`))
	assert.NotContains(t, buf.String(), "需要登录")
}
