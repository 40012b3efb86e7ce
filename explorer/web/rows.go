package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
)

// The metagraph's rows and the heatmap's cells are the only parts of a page that grow with the
// subnet (4096 rows, 16,384 cells): html/template evaluates each field by reflection, which costs
// most of a large subnet's page. They are written here instead, every string from the chain passed
// through html.EscapeString, the same escaping the templates apply to element text and quoted
// attributes.

// metagraphHTML writes the <tr> rows of the metagraph table.
func metagraphHTML(netuid string, rows []neuronRow) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 900)
	esc := html.EscapeString
	num := func(s string) { b.WriteString(`<td class="num">`); b.WriteString(s); b.WriteString(`</td>`) }
	for _, n := range rows {
		uid := strconv.FormatUint(uint64(n.UID), 10)
		b.WriteString(`<tr data-uid="` + uid + `"><td class="num"><a href="/subnets/` + netuid + `/neurons/` + uid + `">` + uid + `</a></td>`)
		if n.ValidatorPermit {
			b.WriteString(`<td>validator</td>`)
		} else {
			b.WriteString(`<td>miner</td>`)
		}
		name := n.Label
		if name == "" {
			name = short(n.Hotkey)
		}
		b.WriteString(`<td class="mono"><a href="/accounts/` + esc(n.Hotkey) + `" title="` + esc(n.Hotkey) + `">` + esc(name) + `</a></td>`)
		b.WriteString(`<td class="mono"><a href="/accounts/` + esc(n.Coldkey) + `" title="` + esc(n.Coldkey) + `">` + esc(short(n.Coldkey)) + `</a></td>`)
		num(esc(amount(strconv.FormatUint(n.Stake, 10), "")))
		for _, f := range []float64{n.Rank, n.Trust, n.Consensus} {
			num(strconv.FormatFloat(f, 'f', 4, 64))
		}
		b.WriteString(`<td class="num" data-col="incentive">` + strconv.FormatFloat(n.Incentive, 'f', 4, 64) + `</td>`)
		num(strconv.FormatFloat(n.Dividends, 'f', 4, 64))
		num(esc(alpha(strconv.FormatUint(n.Emission, 10))))
		num(strconv.FormatFloat(n.ValidatorTrust, 'f', 4, 64))
		if n.Active {
			b.WriteString(`<td>yes</td>`)
		} else {
			b.WriteString(`<td>no</td>`)
		}
		num(strconv.FormatInt(n.LastUpdate, 10))
		num(strconv.FormatInt(n.RegisteredAt, 10))
		if a := n.Axon; a != nil {
			b.WriteString(`<td class="mono">` + esc(a.IP) + `:` + strconv.FormatUint(uint64(a.Port), 10) + `</td>`)
		} else {
			b.WriteString(`<td class="mono">–</td>`)
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// CellsHTML writes the heatmap's <rect> cells.
func (h heatmap) CellsHTML() template.HTML {
	var b strings.Builder
	b.Grow(len(h.Cells) * 80)
	w, ht := strconv.Itoa(h.CellW), strconv.Itoa(h.CellH)
	for _, c := range h.Cells {
		b.WriteString(`<rect x="` + strconv.Itoa(c.X) + `" y="` + strconv.Itoa(c.Y) + `" width="` + w + `" height="` + ht + `" fill-opacity="` + c.Opacity + `">`)
		if c.Title != "" {
			b.WriteString(`<title>` + html.EscapeString(c.Title) + `</title>`)
		}
		b.WriteString("</rect>")
	}
	return template.HTML(b.String())
}
