// Package partition will hold Arrow partitions (record batches with their
// metadata) and the partition manager (map, full-axis apply, broadcast,
// shuffle, concat, rebalance) over an engine with four verbs: deploy, put,
// materialize, wait. It sits between algebra (above) and runtime (below).
// Nothing is exported yet: the engine core is the next issue.
package partition
