;; Dense kernels of the check engine in WebAssembly with 128-bit SIMD (two doubles per lane pair).
;; Compiled by `npm run build:wasm` (scripts/build-wasm.mjs) into kernels.ts, which the engine loads; a unit test
;; compiles this file again and compares, so the two cannot drift apart.
;;
;; Memory is owned by the caller (values.ts): matrices are row-major arrays of f64 at byte offsets it chooses.
(module
  (memory (export "memory") 1)

  ;; Results of $dot2x2.
  (global $s00 (mut f64) (f64.const 0))
  (global $s01 (mut f64) (f64.const 0))
  (global $s10 (mut f64) (f64.const 0))
  (global $s11 (mut f64) (f64.const 0))

  ;; The four dot products of rows p0, p1 with rows q0, q1 over t < len (byte offsets), into $s00 … $s11: each load
  ;; serves two products (a 2×2 register block of f64x2 accumulators).
  (func $dot2x2 (param $p0 i32) (param $p1 i32) (param $q0 i32) (param $q1 i32) (param $len i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128)
    (local $t i32) (local $end i32) (local $f00 f64) (local $f01 f64) (local $f10 f64) (local $f11 f64)
    (local $u0 f64) (local $u1 f64) (local $v0 f64) (local $v1 f64)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (local.set $t (i32.const 0))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $t) (local.get $end)))
        (local.set $x0 (v128.load align=8 (i32.add (local.get $p0) (local.get $t))))
        (local.set $x1 (v128.load align=8 (i32.add (local.get $p1) (local.get $t))))
        (local.set $y0 (v128.load align=8 (i32.add (local.get $q0) (local.get $t))))
        (local.set $y1 (v128.load align=8 (i32.add (local.get $q1) (local.get $t))))
        (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $x0) (local.get $y0))))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $x0) (local.get $y1))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $x1) (local.get $y0))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $x1) (local.get $y1))))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (br $pair)))
    (local.set $f00 (f64.add (f64x2.extract_lane 0 (local.get $a00)) (f64x2.extract_lane 1 (local.get $a00))))
    (local.set $f01 (f64.add (f64x2.extract_lane 0 (local.get $a01)) (f64x2.extract_lane 1 (local.get $a01))))
    (local.set $f10 (f64.add (f64x2.extract_lane 0 (local.get $a10)) (f64x2.extract_lane 1 (local.get $a10))))
    (local.set $f11 (f64.add (f64x2.extract_lane 0 (local.get $a11)) (f64x2.extract_lane 1 (local.get $a11))))
    ;; an odd length leaves one term
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (local.set $u0 (f64.load (i32.add (local.get $p0) (local.get $end))))
        (local.set $u1 (f64.load (i32.add (local.get $p1) (local.get $end))))
        (local.set $v0 (f64.load (i32.add (local.get $q0) (local.get $end))))
        (local.set $v1 (f64.load (i32.add (local.get $q1) (local.get $end))))
        (local.set $f00 (f64.add (local.get $f00) (f64.mul (local.get $u0) (local.get $v0))))
        (local.set $f01 (f64.add (local.get $f01) (f64.mul (local.get $u0) (local.get $v1))))
        (local.set $f10 (f64.add (local.get $f10) (f64.mul (local.get $u1) (local.get $v0))))
        (local.set $f11 (f64.add (local.get $f11) (f64.mul (local.get $u1) (local.get $v1))))))
    (global.set $s00 (local.get $f00))
    (global.set $s01 (local.get $f01))
    (global.set $s10 (local.get $f10))
    (global.set $s11 (local.get $f11)))

  ;; Σ p[t]·q[t] for t < len (byte offsets p, q; 8-byte aligned): four partial sums in two f64x2 accumulators,
  ;; then the remainder in scalar.
  (func $dot (param $p i32) (param $q i32) (param $len i32) (result f64)
    (local $acc0 v128) (local $acc1 v128) (local $end i32) (local $s f64)
    (local.set $end
      (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $acc0
          (f64x2.add (local.get $acc0)
            (f64x2.mul (v128.load align=8 (local.get $p)) (v128.load align=8 (local.get $q)))))
        (local.set $acc1
          (f64x2.add (local.get $acc1)
            (f64x2.mul (v128.load offset=16 align=8 (local.get $p)) (v128.load offset=16 align=8 (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $quad)))
    (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
    (local.set $s
      (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0))))
    (local.set $end
      (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const 3)) (i32.const 3))))
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $rest)))
    (local.get $s))

  ;; Rows i0 ≤ i < i1 of the Cholesky factor L of sign·A − σI (row by row: L[i][j] for j < i from the rows above,
  ;; then the pivot). A at byte offset $a, L at $l, both n×n row-major; only the lower triangles are read and
  ;; written. Returns 0 when every pivot of these rows is positive, else 1 + the row whose pivot is not.
  (func $cholRowsOne (export "cholRows")
    (param $a i32) (param $l i32) (param $n i32) (param $sign f64) (param $sigma f64) (param $i0 i32) (param $i1 i32)
    (result i32)
    (local $i i32) (local $j i32) (local $row i32) (local $li i32) (local $lj i32) (local $d f64)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (local.get $i0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $li (i32.add (local.get $l) (i32.mul (local.get $i) (local.get $row))))
        (local.set $j (i32.const 0))
        (local.set $lj (local.get $l))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $i)))
            ;; L[i][j] = (sign·A[i][j] − Σ_{k<j} L[i][k]·L[j][k]) / L[j][j]
            (f64.store
              (i32.add (local.get $li) (i32.shl (local.get $j) (i32.const 3)))
              (f64.div
                (f64.sub
                  (f64.mul (local.get $sign)
                    (f64.load (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row)))
                                       (i32.shl (local.get $j) (i32.const 3)))))
                  (call $dot (local.get $li) (local.get $lj) (local.get $j)))
                (f64.load (i32.add (local.get $lj) (i32.shl (local.get $j) (i32.const 3))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (local.set $lj (i32.add (local.get $lj) (local.get $row)))
            (br $cols)))
        ;; pivot: (sign·A[i][i] − σ) − Σ_{k<i} L[i][k]²
        (local.set $d
          (f64.sub
            (f64.sub
              (f64.mul (local.get $sign)
                (f64.load (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row)))
                                   (i32.shl (local.get $i) (i32.const 3)))))
              (local.get $sigma))
            (call $dot (local.get $li) (local.get $li) (local.get $i))))
        ;; not (d > 0) also catches NaN
        (if (i32.eqz (f64.gt (local.get $d) (f64.const 0)))
          (then (return (i32.add (local.get $i) (i32.const 1)))))
        (f64.store (i32.add (local.get $li) (i32.shl (local.get $i) (i32.const 3))) (f64.sqrt (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (i32.const 0))
;; Rows i0 ≤ i < i1 of the same factor, two rows at a time (i1 − i0 even, or the last row alone): the entries
  ;; of rows i, i + 1 in columns j, j + 1 come from one $dot2x2, which halves the loads of the row-at-a-time
  ;; kernel. Same result contract as cholRows (the sums are the same, in another order).
  (func (export "cholRows2")
    (param $a i32) (param $l i32) (param $n i32) (param $sign f64) (param $sigma f64) (param $i0 i32) (param $i1 i32)
    (result i32)
    (local $i i32) (local $j i32) (local $row i32) (local $li i32) (local $lk i32) (local $lj i32) (local $lj1 i32)
    (local $ai i32) (local $ak i32) (local $d f64) (local $pj f64) (local $pj1 f64) (local $x0 f64) (local $x1 f64)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (local.get $i0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $i1)))
        ;; a single last row: the row-at-a-time kernel
        (if (i32.eq (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
          (then
            (return (call $cholRowsOne (local.get $a) (local.get $l) (local.get $n) (local.get $sign) (local.get $sigma)
              (local.get $i) (local.get $i1)))))
        (local.set $li (i32.add (local.get $l) (i32.mul (local.get $i) (local.get $row))))
        (local.set $lk (i32.add (local.get $li) (local.get $row)))
        (local.set $ai (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row))))
        (local.set $ak (i32.add (local.get $ai) (local.get $row)))
        ;; columns j, j + 1 < i in pairs
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $i)))
            (local.set $lj (i32.add (local.get $l) (i32.mul (local.get $j) (local.get $row))))
            (local.set $lj1 (i32.add (local.get $lj) (local.get $row)))
            (call $dot2x2 (local.get $li) (local.get $lk) (local.get $lj) (local.get $lj1) (local.get $j))
            (local.set $pj (f64.load (i32.add (local.get $lj) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $pj1 (f64.load (i32.add (local.get $lj1) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))))
            ;; column j
            (local.set $x0 (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ai) (i32.shl (local.get $j) (i32.const 3))))) (global.get $s00)) (local.get $pj)))
            (local.set $x1 (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ak) (i32.shl (local.get $j) (i32.const 3))))) (global.get $s10)) (local.get $pj)))
            (f64.store (i32.add (local.get $li) (i32.shl (local.get $j) (i32.const 3))) (local.get $x0))
            (f64.store (i32.add (local.get $lk) (i32.shl (local.get $j) (i32.const 3))) (local.get $x1))
            ;; column j + 1: its sums also take in the term k = j
            (local.set $d (f64.load (i32.add (local.get $lj1) (i32.shl (local.get $j) (i32.const 3)))))
            (f64.store (i32.add (local.get $li) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))
              (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ai) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))))
                                (f64.add (global.get $s01) (f64.mul (local.get $x0) (local.get $d))))
                       (local.get $pj1)))
            (f64.store (i32.add (local.get $lk) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))
              (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ak) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3)))))
                                (f64.add (global.get $s11) (f64.mul (local.get $x1) (local.get $d))))
                       (local.get $pj1)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $pairs)))
        ;; an odd i leaves column j = i − 1
        (if (i32.lt_u (local.get $j) (local.get $i))
          (then
            (local.set $lj (i32.add (local.get $l) (i32.mul (local.get $j) (local.get $row))))
            (local.set $pj (f64.load (i32.add (local.get $lj) (i32.shl (local.get $j) (i32.const 3)))))
            (f64.store (i32.add (local.get $li) (i32.shl (local.get $j) (i32.const 3)))
              (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ai) (i32.shl (local.get $j) (i32.const 3)))))
                                (call $dot (local.get $li) (local.get $lj) (local.get $j)))
                       (local.get $pj)))
            (f64.store (i32.add (local.get $lk) (i32.shl (local.get $j) (i32.const 3)))
              (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ak) (i32.shl (local.get $j) (i32.const 3)))))
                                (call $dot (local.get $lk) (local.get $lj) (local.get $j)))
                       (local.get $pj)))))
        ;; the 2×2 diagonal block: pivot i, entry (i + 1, i), pivot i + 1
        (local.set $d
          (f64.sub (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ai) (i32.shl (local.get $i) (i32.const 3)))))
                            (local.get $sigma))
                   (call $dot (local.get $li) (local.get $li) (local.get $i))))
        (if (i32.eqz (f64.gt (local.get $d) (f64.const 0)))
          (then (return (i32.add (local.get $i) (i32.const 1)))))
        (local.set $pj (f64.sqrt (local.get $d)))
        (f64.store (i32.add (local.get $li) (i32.shl (local.get $i) (i32.const 3))) (local.get $pj))
        (local.set $x1
          (f64.div (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ak) (i32.shl (local.get $i) (i32.const 3)))))
                            (call $dot (local.get $lk) (local.get $li) (local.get $i)))
                   (local.get $pj)))
        (f64.store (i32.add (local.get $lk) (i32.shl (local.get $i) (i32.const 3))) (local.get $x1))
        (local.set $d
          (f64.sub (f64.sub (f64.mul (local.get $sign) (f64.load (i32.add (local.get $ak) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3)))))
                            (local.get $sigma))
                   (call $dot (local.get $lk) (local.get $lk) (i32.add (local.get $i) (i32.const 1)))))
        (if (i32.eqz (f64.gt (local.get $d) (f64.const 0)))
          (then (return (i32.add (local.get $i) (i32.const 2)))))
        (f64.store (i32.add (local.get $lk) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3))) (f64.sqrt (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (i32.const 0))
)
