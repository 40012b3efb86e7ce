module github.com/mindnet/mindnet

go 1.26.5
