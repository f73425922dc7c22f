package join

import "math/bits"

// The hash table: open addressing with linear probing over a power-of-two
// slot array at most half full. A slot holds the first build row of one
// distinct key (plus 1; 0 is empty) and the key's code (one key) or row
// hash (several keys). The other build rows of a key follow in next, a
// chain in build-row order, built by inserting rows last to first and
// prepending.

const fib = 0x9e3779b97f4a7c15 // 2^64 / golden ratio

// slotsFor returns the slot count for n rows, a power of two at least
// 1.5n (a load of at most 2/3, where linear probing stays short), and its
// log2.
func slotsFor(n int) (int, uint) {
	lg := uint(bits.Len(uint(n + n/2)))
	lg = max(lg, 4)
	return 1 << lg, lg
}

// slot is one entry of match1's table: the key's code beside its first
// row, so a probe touches one cache line.
type slot struct {
	key  uint64
	head int32 // first build row + 1; 0: empty
}

// match builds a table on the build side's codes and probes it with the
// probe side's. heads[i] is the first build row matching probe row i, or
// -1; next[j] is the build row after j with the same key, or -1.
func match(probe, build []side, np, nb int) (heads, next []int32) {
	heads = make([]int32, np)
	next = make([]int32, nb)
	if len(probe) == 1 {
		match1(probe[0], build[0], heads, next)
	} else {
		matchN(probe, build, heads, next)
	}
	return heads, next
}

// match1 is match for one key: slots hold the code itself, and null rows
// chain apart.
func match1(p, b side, heads, next []int32) {
	nb := len(next)
	size, lg := slotsFor(max(nb, 1))
	mask, shift := uint64(size-1), 64-lg
	slots := make([]slot, size)
	nullHead := int32(-1)
	bv, bs := b.vals[:nb], b.state
	for j := nb - 1; j >= 0; j-- {
		if bs != nil && bs[j] != stOK {
			if bs[j] == stNull {
				next[j], nullHead = nullHead, int32(j)
			}
			continue
		}
		k := bv[j]
		s := (k * fib) >> shift
		for {
			e := &slots[s]
			if e.head == 0 {
				e.key, e.head = k, int32(j)+1
				next[j] = -1
				break
			}
			if e.key == k {
				next[j], e.head = e.head-1, int32(j)+1
				break
			}
			s = (s + 1) & mask
		}
	}
	pv, ps := p.vals[:len(heads)], p.state
	for i, k := range pv {
		if ps != nil && ps[i] != stOK {
			heads[i] = -1
			if ps[i] == stNull {
				heads[i] = nullHead
			}
			continue
		}
		s := (k * fib) >> shift
		for {
			e := slots[s]
			if e.head == 0 || e.key == k {
				heads[i] = e.head - 1
				break
			}
			s = (s + 1) & mask
		}
	}
}

// nullCode stands for a null key in row hashes.
const nullCode = 0x6e756c6c5f6b6579

// rowHashes combines the codes of every key of each row into one hash;
// a row with a stNever key gets ok[i] = false.
func rowHashes(ss []side, n int) (h []uint64, ok []bool) {
	h = make([]uint64, n)
	for _, s := range ss {
		vals := s.vals[:n]
		for i, v := range vals {
			if s.state != nil {
				switch s.state[i] {
				case stNull:
					v = nullCode
				case stNever:
					if ok == nil {
						ok = make([]bool, n)
						for k := range ok {
							ok[k] = true
						}
					}
					ok[i] = false
				}
			}
			x := (h[i] ^ v) * fib
			h[i] = x ^ x>>29
		}
	}
	return h, ok
}

// equal reports whether row a of sides x and row b of sides y have equal
// keys: every key equal, or null on both.
func equal(x []side, a int, y []side, b int) bool {
	for k := range x {
		sa, sb := stOK, stOK
		if x[k].state != nil {
			sa = x[k].state[a]
		}
		if y[k].state != nil {
			sb = y[k].state[b]
		}
		if sa != sb || sa == stNever || (sa == stOK && x[k].vals[a] != y[k].vals[b]) {
			return false
		}
	}
	return true
}

// matchN is match for several keys: slots hold row hashes, and a hash hit
// is confirmed by comparing every key's codes.
func matchN(probe, build []side, heads, next []int32) {
	nb := len(next)
	bh, bok := rowHashes(build, nb)
	size, lg := slotsFor(max(nb, 1))
	mask, shift := uint64(size-1), 64-lg
	slots := make([]int32, size)
	hs := make([]uint64, size)
	for j := nb - 1; j >= 0; j-- {
		if bok != nil && !bok[j] {
			continue
		}
		h := bh[j]
		s := (h * fib) >> shift
		for {
			e := slots[s]
			if e == 0 {
				slots[s], hs[s] = int32(j)+1, h
				next[j] = -1
				break
			}
			if hs[s] == h && equal(build, j, build, int(e-1)) {
				next[j], slots[s] = e-1, int32(j)+1
				break
			}
			s = (s + 1) & mask
		}
	}
	ph, pok := rowHashes(probe, len(heads))
	for i, h := range ph {
		heads[i] = -1
		if pok != nil && !pok[i] {
			continue
		}
		s := (h * fib) >> shift
		for {
			e := slots[s]
			if e == 0 {
				break
			}
			if hs[s] == h && equal(probe, i, build, int(e-1)) {
				heads[i] = e - 1
				break
			}
			s = (s + 1) & mask
		}
	}
}
