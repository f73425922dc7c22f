package suite

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ModesCompare is the comparison of one question's answer between the
// first report's mode and another's.
type ModesCompare struct {
	Task     string    `json:"task"`
	Question string    `json:"question"`
	Modes    [2]string `json:"modes"`
	// Err says how the checksums differ; empty when they agree.
	Err string `json:"error,omitempty"`
}

// CompareModes compares the checksum of each question's first run in
// reports[0] with the same question's in each other report (the same
// task and data in other modes), to a relative tolerance rel on sums.
// A question missing from a report is a disagreement.
func CompareModes(reports []*Report, rel float64) []ModesCompare {
	if len(reports) < 2 {
		return nil
	}
	first := func(r *Report, q string) *Checksum {
		for _, s := range r.Steps {
			if s.Question == q && s.Checksum != nil {
				return s.Checksum
			}
		}
		return nil
	}
	base := reports[0]
	var out []ModesCompare
	for _, s := range base.Steps {
		if s.Checksum == nil || s.Run != 1 {
			continue
		}
		for _, r := range reports[1:] {
			c := ModesCompare{Task: base.Task, Question: s.Question, Modes: [2]string{base.Mode, r.Mode}}
			if got := first(r, s.Question); got == nil {
				c.Err = "no answer in " + r.Mode
			} else if err := got.Match(*s.Checksum, rel); err != nil {
				c.Err = err.Error()
			}
			out = append(out, c)
		}
	}
	return out
}

// svgPalette colours the modes, in the order they first appear.
var svgPalette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"}

// WriteSVG draws the reports as horizontal bar charts, one panel per task
// and data set: for each question a group of bars, one per mode, each as
// long as the question's best (smallest) run and labelled with its
// seconds; the load is left out (it is not a question). The SVG is
// written by hand: it needs no library and opens in any browser.
func WriteSVG(w io.Writer, reports []*Report) error {
	type bar struct {
		mode string
		s    float64
	}
	type group struct {
		q    string
		bars []bar
	}
	type panel struct {
		title  string
		groups []*group
		max    float64
	}
	var panels []*panel
	var modes []string
	byTitle := map[string]*panel{}
	for _, r := range reports {
		title := r.Task + " · " + r.Data
		p := byTitle[title]
		if p == nil {
			p = &panel{title: title}
			byTitle[title] = p
			panels = append(panels, p)
		}
		if !slices.Contains(modes, r.Mode) {
			modes = append(modes, r.Mode)
		}
		for _, s := range r.Steps {
			if s.Question == "load" || s.Run != 1 {
				continue
			}
			best := slices.Min(r.QuestionSeconds(s.Question))
			i := slices.IndexFunc(p.groups, func(g *group) bool { return g.q == s.Question })
			if i < 0 {
				p.groups = append(p.groups, &group{q: s.Question})
				i = len(p.groups) - 1
			}
			p.groups[i].bars = append(p.groups[i].bars, bar{r.Mode, best})
			p.max = max(p.max, best)
		}
	}

	const (
		width, left, right = 760, 70, 90
		barH, gap, titleH  = 14, 10, 30
	)
	plotW := float64(width - left - right)
	var b strings.Builder
	y := 10
	for _, p := range panels {
		fmt.Fprintf(&b, `<text x="10" y="%d" font-size="14" font-weight="bold">%s (seconds, best of runs)</text>`+"\n", y+16, esc(p.title))
		y += titleH
		for _, g := range p.groups {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`+"\n", left-8, y+len(g.bars)*barH/2+4, esc(g.q))
			for _, br := range g.bars {
				wd := 0.0
				if p.max > 0 {
					wd = br.s / p.max * plotW
				}
				colour := svgPalette[slices.Index(modes, br.mode)%len(svgPalette)]
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s: %.3f s</title></rect>`+"\n",
					left, y, max(wd, 1), barH-2, colour, esc(g.q), esc(br.mode), br.s)
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%.3f</text>`+"\n", float64(left)+max(wd, 1)+4, y+barH-4, br.s)
				y += barH
			}
			y += gap
		}
		y += gap
	}
	// Legend.
	for i, m := range modes {
		x := left + i*140
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" font-size="12">%s</text>`+"\n",
			x, y, svgPalette[i%len(svgPalette)], x+16, y+11, esc(m))
	}
	y += 24
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif">`+"\n"+
		`<rect width="100%%" height="100%%" fill="white"/>`+"\n%s</svg>\n", width, y, width, y, b.String())
	return err
}

// esc escapes s for XML text and attributes.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}
