package tasks

// Names a variation gives to renamed identifiers: ordinary Go names of the kind the standard library
// uses, so that a renamed prompt still reads like Go the model has seen. None is a keyword or a
// predeclared identifier.
var (
	localNames = []string{
		"a", "acc", "arg", "b", "base", "bits", "blk", "buf", "c", "cfg", "cnt", "count", "cur",
		"data", "dec", "dst", "e", "elem", "enc", "end", "entry", "f", "fn", "h", "head", "hi",
		"idx", "in", "item", "items", "j", "k", "key", "keys", "last", "left", "lhs", "line",
		"list", "lo", "m", "mid", "msg", "n", "name", "next", "node", "num", "off", "out", "p",
		"pos", "prev", "q", "r", "res", "rhs", "right", "root", "rs", "s", "scratch", "seq",
		"size", "src", "st", "state", "sum", "t", "tmp", "total", "u", "v", "val", "vals", "w",
		"word", "x", "xs", "y", "z",
	}
	exportedNames = []string{
		"Add", "Apply", "Batch", "Block", "Buffer", "Builder", "Cache", "Chain", "Check", "Cursor",
		"Decode", "Decoder", "Digest", "Encode", "Encoder", "Entry", "Event", "Field", "Filter",
		"Frame", "Graph", "Grid", "Handle", "Header", "Index", "Item", "Ledger", "Level", "List",
		"Lookup", "Merge", "Message", "Meter", "Node", "Packet", "Parse", "Parser", "Path", "Pool",
		"Queue", "Reader", "Record", "Registry", "Report", "Result", "Route", "Sample", "Scan",
		"Scanner", "Session", "Shape", "Signal", "Slot", "Stack", "Store", "Stream", "Table",
		"Task", "Token", "Tracker", "Tree", "Value", "Vector", "Walk", "Window", "Writer",
	}
)
