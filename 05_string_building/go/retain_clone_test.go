//go:build go1.20

package strbuild

import (
	"strings"
	"testing"
)

// strings.Clone, from Go 1.20: the copy the standard library names, measured as the
// copies in retain_test.go are. Go 1.19 builds without this file.

func TestRetainStringsCloneLetsTheMessageGo(t *testing.T) {
	got := retained(func(i int, msg []byte) {
		s := string(msg)
		keptStrings[i] = strings.Clone(s[retainOff : retainOff+retainField])
	})
	wantLetGo(t, "strings.Clone(s"+fieldExpr+")", got)
	for i, s := range keptStrings {
		if s != fieldOf(i) {
			t.Fatalf("message %d: kept %q, want %q", i, s, fieldOf(i))
		}
	}
}
