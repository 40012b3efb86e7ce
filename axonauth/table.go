package axonauth

import (
	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// A keyTable makes k·Q cheap for one public key Q that signs many messages: it holds d·2^(w·i)·Q in
// affine form for every w-bit window i of a 256-bit scalar and every digit d, so that a product is
// one mixed point addition per window and no doublings. The generic scalar multiplication that an
// ECDSA verification needs costs about four times as much (it dominated the axon's request path);
// the base point already gets the same treatment inside the secp256k1 library.
//
// The table is public data derived from a public key, so nothing here needs to run in constant time.
type keyTable struct {
	points []affinePoint // window i, digit d ≥ 1 at i*tableDigits + d-1
}

type affinePoint struct{ x, y secp.FieldVal }

const (
	tableWindowBits = 6
	tableDigits     = 1<<tableWindowBits - 1
	tableWindows    = (256 + tableWindowBits - 1) / tableWindowBits
)

var fieldOne = func() secp.FieldVal {
	var one secp.FieldVal
	one.SetInt(1)
	return one
}()

// newKeyTable precomputes the table for pub: about 2,700 point additions and one field inversion,
// a few milliseconds, and 43·63·80 bytes (≈ 217 KB).
func newKeyTable(pub *secp.PublicKey) *keyTable {
	jac := make([]secp.JacobianPoint, tableWindows*tableDigits)
	var base secp.JacobianPoint // 2^(w·i)·Q
	pub.AsJacobian(&base)
	for i := range tableWindows {
		row := jac[i*tableDigits : (i+1)*tableDigits]
		row[0].Set(&base)
		for d := 1; d < tableDigits; d++ {
			secp.AddNonConst(&row[d-1], &base, &row[d])
		}
		var next secp.JacobianPoint
		secp.AddNonConst(&row[tableDigits-1], &base, &next)
		base.Set(&next)
	}
	return &keyTable{points: toAffine(jac)}
}

// toAffine normalises every point with a single field inversion (Montgomery's trick). No point is
// the point at infinity: d·2^(w·i) is never a multiple of the prime group order for d < 2^w.
func toAffine(jac []secp.JacobianPoint) []affinePoint {
	prefix := make([]secp.FieldVal, len(jac)) // prefix[i] = Z_0 · … · Z_i
	acc := fieldOne
	for i := range jac {
		acc.Mul(&jac[i].Z).Normalize()
		prefix[i] = acc
	}
	inv := acc
	inv.Inverse() // (Z_0 · … · Z_last)^-1
	out := make([]affinePoint, len(jac))
	for i := len(jac) - 1; i >= 0; i-- {
		zInv := inv // = (Z_0 · … · Z_i)^-1 here
		if i > 0 {
			zInv.Mul(&prefix[i-1])
			inv.Mul(&jac[i].Z).Normalize()
		}
		zInv.Normalize()
		var zInv2, zInv3 secp.FieldVal
		zInv2.SquareVal(&zInv).Normalize()
		zInv3.Mul2(&zInv2, &zInv).Normalize()
		out[i].x.Mul2(&jac[i].X, &zInv2).Normalize()
		out[i].y.Mul2(&jac[i].Y, &zInv3).Normalize()
	}
	return out
}

// mul sets result to k·Q.
func (t *keyTable) mul(k *secp.ModNScalar, result *secp.JacobianPoint) {
	kb := k.Bytes()     // big-endian
	var limbs [4]uint64 // little-endian 64-bit limbs of k
	for i := range limbs {
		for j := range 8 {
			limbs[i] |= uint64(kb[31-8*i-j]) << (8 * j)
		}
	}
	result.X.Zero()
	result.Y.Zero()
	result.Z.Zero()
	var pt secp.JacobianPoint
	pt.Z = fieldOne
	for i := range tableWindows {
		bit := i * tableWindowBits
		limb, off := bit/64, bit%64
		d := limbs[limb] >> off
		if off+tableWindowBits > 64 && limb+1 < len(limbs) {
			d |= limbs[limb+1] << (64 - off)
		}
		d &= tableDigits
		if d == 0 {
			continue
		}
		p := &t.points[i*tableDigits+int(d)-1]
		pt.X, pt.Y = p.x, p.y
		secp.AddNonConst(result, &pt, result)
	}
}

// orderAsField is the group order n as a field element, for the r + n case of the ECDSA check.
var orderAsField = func() secp.FieldVal {
	var f secp.FieldVal
	f.SetByteSlice([]byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
		0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
	})
	return f
}()

// verify is ECDSA verification (SEC 1, 4.1.4) of (r, s) over hash with the table's key: with
// w = s⁻¹, X = (e·w)·G + (r·w)·Q must not be infinity and its affine x, reduced mod n, must equal r.
// r and s must already be checked to be in [1, n-1].
func (t *keyTable) verify(hash *[32]byte, r, s *secp.ModNScalar) bool {
	var e secp.ModNScalar
	e.SetByteSlice(hash[:])
	var w, u1, u2 secp.ModNScalar
	w.InverseValNonConst(s)
	u1.Mul2(&e, &w)
	u2.Mul2(r, &w)

	var u1G, u2Q, X secp.JacobianPoint
	secp.ScalarBaseMultNonConst(&u1, &u1G)
	t.mul(&u2, &u2Q)
	secp.AddNonConst(&u1G, &u2Q, &X)
	if (X.X.IsZero() && X.Y.IsZero()) || X.Z.IsZero() {
		return false
	}
	// Compare in Jacobian form, x = X/Z², to avoid an inversion. x mod n == r means x is r or, when
	// r + n is still below the field prime, r + n.
	var z2, rf, want secp.FieldVal
	z2.SquareVal(&X.Z)
	rb := r.Bytes()
	rf.SetByteSlice(rb[:])
	X.X.Normalize()
	if want.Mul2(&rf, &z2).Normalize().Equals(&X.X) {
		return true
	}
	if rf.IsGtOrEqPrimeMinusOrder() {
		return false
	}
	rf.Add(&orderAsField)
	return want.Mul2(&rf, &z2).Normalize().Equals(&X.X)
}
