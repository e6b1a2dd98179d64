/* The two 16-bit float formats <-> binary32, round to nearest even, no compiler support
 * needed (MSVC has no _Float16): IEEE binary16 (float16) and bfloat16 (the top half of a
 * binary32). Both compute in float32 and round once (docs §3.8, §3.9). */
#ifndef RESAMPLE_HALF_H
#define RESAMPLE_HALF_H
#include <stdint.h>
#include <string.h>

static inline float resample_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    float f;
    if (exponent == 0) {
        /* zero or subnormal: mantissa * 2^-24 is exact in float32 */
        f = (float)mantissa * 5.9604644775390625e-08f;
        return sign ? -f : f;
    }
    if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    }
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t resample_float_to_half(float f) {
    uint32_t x, ax;
    uint16_t sign;
    memcpy(&x, &f, 4);
    sign = (uint16_t)((x >> 16) & 0x8000u);
    ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) {                 /* inf, or nan kept quiet with its payload */
        return (uint16_t)(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u | ((ax >> 13) & 0x3ffu) : 0u));
    }
    if (ax >= 0x477ff000u) {                 /* >= 65520 rounds to inf */
        return (uint16_t)(sign | 0x7c00u);
    }
    if (ax < 0x38800000u) {                  /* below 2^-14: a subnormal half or zero */
        float a, scaled;
        memcpy(&a, &ax, 4);
        scaled = a * 16777216.0f;            /* exact: units of 2^-24 */
        scaled = (scaled + 8388608.0f) - 8388608.0f;   /* round half to even */
        return (uint16_t)(sign | (uint16_t)scaled);
    }
    /* normal: rebias the exponent and round the 13 dropped bits half to even */
    ax += 0xc8000fffu + ((ax >> 13) & 1u);
    return (uint16_t)(sign | (ax >> 13));
}

static inline float resample_round_to_half(float f) {
    return resample_half_to_float(resample_float_to_half(f));
}

/* bfloat16 -> float32: the 16 bits are the top half of the float32 (exact). */
static inline float resample_bfloat16_to_float(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* float32 -> bfloat16, round to nearest even (overflow gives Inf, as torch's and
 * ml_dtypes' conversions do); a NaN stays a quiet NaN with its sign. */
static inline uint16_t resample_float_to_bfloat16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) {
        return (uint16_t)((x >> 16) | 0x0040u);
    }
    x += 0x7fffu + ((x >> 16) & 1u);
    return (uint16_t)(x >> 16);
}

static inline float resample_round_to_bfloat16(float f) {
    return resample_bfloat16_to_float(resample_float_to_bfloat16(f));
}
#endif
