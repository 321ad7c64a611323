package yingji

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/yingji/yingji/diag"
)

// LoadDir loads the plan folder dir from disk. The folder is opened with
// os.OpenRoot, so nothing outside it can be read: a symbolic link that
// leaves the folder is refused, as is any file that is not a regular file
// (a FIFO, a device). Prefer it to Load(os.DirFS(dir)) for folders a
// drafter edits.
func LoadDir(dir string, opts ...Option) (*Plan, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("yingji: cannot open plan folder %s: %w", dir, err)
	}
	defer root.Close()
	return Load(root.FS(), opts...)
}

// refusal says why the loader will not read a file.
type refusal struct {
	code, why, fix string
}

func (r *refusal) Error() string { return r.why }

// maxLinks bounds how many symbolic links the loader follows for one name.
const maxLinks = 8

// readFile reads one file of the plan folder under the loader's limits:
// the name must stay inside the folder (no "../", no absolute path, no
// symbolic link that leads out), the file must be a regular file, and it
// and the plan as a whole must be under the size caps — all checked before
// anything is decoded.
func (l *loader) readFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &refusal{code: diag.CodeFileRefused, why: fmt.Sprintf("%s is outside the plan folder", name),
			fix: `write the name relative to plan.yaml's folder, without "../" or a leading "/": a plan reads only its own folder`}
	}
	target, err := l.resolveLinks(name)
	if err != nil {
		return nil, err
	}
	info, err := fs.Stat(l.fsys, target)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &refusal{code: diag.CodeFileRefused, why: fmt.Sprintf("%s is not a regular file (%s)", name, info.Mode().Type()),
			fix: "replace it with an ordinary YAML file: a plan never reads devices, pipes or folders"}
	}
	limit := l.cfg.maxFileSize
	if info.Size() > limit {
		return nil, tooLarge(name, info.Size(), limit)
	}
	f, err := l.fsys.Open(target)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The size from Stat can lie (files under /proc say 0): read at most
	// one byte past the limit to tell.
	src, err := readAll(io.LimitReader(f, limit+1), min(info.Size(), limit))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, tooLarge(name, int64(len(src)), limit)
	}
	l.total += int64(len(src))
	if l.total > l.cfg.maxPlanSize {
		return nil, &refusal{code: diag.CodeFileTooLarge, why: fmt.Sprintf("the plan's files reach %d bytes with %s, over the %d-byte limit", l.total, name, l.cfg.maxPlanSize),
			fix: "check for a generated or pasted file; raise MaxPlanSize if a plan really needs it"}
	}
	return src, nil
}

// readAll is io.ReadAll into a buffer sized for the size Stat gave (plus
// the byte that tells the end), so that a plan file is read in one
// allocation instead of a doubling series.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size, 0)+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the size lied: grow as ReadAll does
		}
	}
}

func tooLarge(name string, size, limit int64) error {
	return &refusal{code: diag.CodeFileTooLarge, why: fmt.Sprintf("%s is %d bytes or more, over the %d-byte limit", name, size, limit),
		fix: "check that it is the plan file you meant; raise MaxFileSize if a plan really needs it"}
}

// resolveLinks follows symbolic links of name when fsys can tell (os.DirFS
// and os.Root's FS can), refusing any that leads out of the folder.
func (l *loader) resolveLinks(name string) (string, error) {
	rl, ok := l.fsys.(fs.ReadLinkFS)
	if !ok {
		return name, nil
	}
	for range maxLinks {
		info, err := rl.Lstat(name)
		if err != nil {
			return name, err
		}
		if info.Mode().Type() != fs.ModeSymlink {
			return name, nil
		}
		dest, err := rl.ReadLink(name)
		if err != nil {
			return name, err
		}
		next := path.Join(path.Dir(name), dest)
		if path.IsAbs(dest) || !fs.ValidPath(next) {
			return name, &refusal{code: diag.CodeFileRefused, why: fmt.Sprintf("%s is a symbolic link to %s, outside the plan folder", name, dest),
				fix: "copy the file into the plan folder: a plan reads only its own folder"}
		}
		name = next
	}
	return name, &refusal{code: diag.CodeFileRefused, why: fmt.Sprintf("%s: more than %d symbolic links", name, maxLinks),
		fix: "replace the links with the file itself"}
}
