// An adopter's module: it may use only yingji's public API. The root
// package's TestExternalModule builds and tests it, so an exported name that
// another module cannot call fails the build.
module example.com/adopter

go 1.26

require (
	github.com/stretchr/testify v1.12.1
	github.com/yingji/yingji v0.0.0
)

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)

replace github.com/yingji/yingji => ../..
