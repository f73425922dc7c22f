package order

// radixSort sorts keys ascending, carrying idx along, stably: an LSD radix
// sort on bytes. A first pass finds the bytes that differ anywhere, and
// only those get a pass, so keys of a narrow range (ranks, small integers)
// take one to three passes. It allocates one scratch copy of both slices.
func radixSort(keys []uint64, idx []uint32) {
	n := len(keys)
	idx = idx[:n]
	if n < 2 {
		return
	}
	if n <= 48 {
		insertionSort(keys, idx)
		return
	}
	var diff uint64
	k0 := keys[0]
	for _, k := range keys {
		diff |= k ^ k0
	}
	var shifts [8]uint
	np := 0
	for b := range uint(8) {
		if diff>>(8*b)&0xff != 0 {
			shifts[np] = 8 * b
			np++
		}
	}
	if np == 0 {
		return
	}
	var counts [8][256]int
	for _, k := range keys {
		for p, s := range shifts[:np] {
			counts[p][byte(k>>s)]++
		}
	}
	srcK, srcI := keys, idx
	dstK, dstI := make([]uint64, n), make([]uint32, n)
	for p, s := range shifts[:np] {
		pos := &counts[p]
		sum := 0
		for b, c := range pos {
			pos[b] = sum
			sum += c
		}
		si := srcI[:len(srcK)]
		for j, k := range srcK {
			b := byte(k >> s)
			q := pos[b]
			dstK[q], dstI[q] = k, si[j]
			pos[b] = q + 1
		}
		srcK, srcI, dstK, dstI = dstK, dstI, srcK, srcI
	}
	if np%2 == 1 {
		copy(keys, srcK)
		copy(idx, srcI)
	}
}

// insertionSort is radixSort for short slices; it is stable.
func insertionSort(keys []uint64, idx []uint32) {
	for i := 1; i < len(keys); i++ {
		k, x := keys[i], idx[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j], idx[j] = keys[j-1], idx[j-1]
			j--
		}
		keys[j], idx[j] = k, x
	}
}
