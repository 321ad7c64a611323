package workflow

import (
	"sync"
	"sync/atomic"

	exprcompiler "github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// program is an expression of workflow.yaml: parsed, checked and
// optimized when the file is compiled — every error of the expression is
// reported then — and turned into bytecode when it is first run. A plan
// has dozens of expressions and one incident runs a few of them;
// emitting all their bytecode was a sixth of compiling the workflow.
//
// Concurrency: safe for concurrent use. The first run emits the bytecode
// under the lock all programs of one compile share (they share expr's
// type cache, which emitting writes to); later runs only load it.
type program struct {
	prog   atomic.Pointer[vm.Program]
	emit   *sync.Mutex  // the lock the programs of one compile share
	tree   *parser.Tree // until emitted
	config *conf.Config
}

// get returns the program's bytecode, emitting it on the first call.
func (p *program) get() (*vm.Program, error) {
	if prog := p.prog.Load(); prog != nil {
		return prog, nil
	}
	p.emit.Lock()
	defer p.emit.Unlock()
	if prog := p.prog.Load(); prog != nil {
		return prog, nil
	}
	// A checked, optimized tree compiles: expr's compiler fails only by
	// a panic it recovers, which would be a bug of expr's.
	prog, err := exprcompiler.Compile(p.tree, p.config)
	if err != nil {
		return nil, err
	}
	p.tree, p.config = nil, nil
	p.prog.Store(prog)
	return prog, nil
}
