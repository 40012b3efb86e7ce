package tasks

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
)

func rngFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

var renderedShape = regexp.MustCompile(`^func (\w+)\((\w+) \[\]int\) int \{\n\tfor _, (\w+) := range (\w+) \{\n\t\tbuf := (\d+)\n$`)

// fmtSscanf reads the parts of TestRenderRenamesConsistently's prompt.
func fmtSscanf(s string, fn, xs, v, xs2 *string, lit *int) (int, error) {
	m := renderedShape.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("not the expected shape")
	}
	*fn, *xs, *v, *xs2 = m[1], m[2], m[3], m[4]
	n, err := strconv.Atoi(m[5])
	*lit = n
	return 5, err
}
