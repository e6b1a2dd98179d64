/*
 * resample.h: resample's C API, for C and C++ extensions (Cython: `from resample.capi
 * cimport ...`, which wraps this header).
 *
 * Build against it with resample.get_include() on the include path. At module init call
 * resample_import() (it returns -1 with a Python exception set when resample is missing or
 * too old); then:
 *
 *   resample_plan *plan = resample_plan_new(3, in_shape, NULL, RESAMPLE_UINT8, out_shape,
 *                                           0, NULL, NULL, "linear", 1, -1);   // with the GIL
 *   ...
 *   int status = resample_plan_apply(plan, src, NULL, NULL, dst, NULL, NULL, 1);  // any thread,
 *   if (status) fprintf(stderr, "%s\n", resample_status_message(status));   // no GIL needed
 *   ...
 *   resample_plan_free(plan);                                            // with the GIL
 *
 * A plan is immutable: one plan may be applied from many threads at once. Results are
 * bit-identical to resample.resize() with the same arguments, for any thread count.
 *
 * The functions are a versioned table of pointers in the capsule resample._C_API, as
 * NumPy's C API is. RESAMPLE_API_VERSION changes only when the table changes
 * incompatibly; functions added later go at its end, and `size` says how long it is.
 */
#ifndef RESAMPLE_H
#define RESAMPLE_H

#include <Python.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RESAMPLE_API_VERSION 1
#define RESAMPLE_MAX_NDIM 32

/* sample types */
enum {
    RESAMPLE_UINT8 = 1,
    RESAMPLE_INT16 = 2,
    RESAMPLE_UINT16 = 3,
    RESAMPLE_FLOAT16 = 4,    /* IEEE binary16 bits */
    RESAMPLE_FLOAT32 = 5,
    RESAMPLE_FLOAT64 = 6
};

/* what resample_plan_apply returns */
enum {
    RESAMPLE_OK = 0,
    RESAMPLE_ERROR_ARGUMENT = 1,   /* a NULL plan or buffer, or num_threads < 1 */
    RESAMPLE_ERROR_SHAPE = 2,      /* a shape other than the plan's */
    RESAMPLE_ERROR_STRIDES = 3,    /* strides other than the plan's */
    RESAMPLE_ERROR_MEMORY = 4      /* no memory for working buffers (dst incomplete) */
};

typedef struct resample_plan resample_plan;   /* opaque */

typedef struct {
    unsigned int version;          /* RESAMPLE_API_VERSION of the installed resample */
    unsigned int size;             /* sizeof this table there */

    /* A plan to resize arrays of in_shape (strides in bytes; NULL: C-contiguous; any dense
     * layout, e.g. channels-last, is read in place) and dtype to out_shape. axes: the
     * n_axes resized axes (NULL: those whose length changes; others must keep theirs).
     * scales: NULL, or one scale factor per resized axis, as resize()'s scale_factor (the
     * filters then sample at 1 / scale, torch's rule; out_shape must be the lengths they
     * give). mode: resize()'s names ("nearest", "nearest-exact", "linear", "cubic", "area",
     * "lanczos", ...); antialias 0 or 1; align_corners -1 (unset), 0 or 1. The output is
     * written in the input's layout (resample_plan_layout gives its strides). Needs the
     * GIL (takes it if not held); NULL with a Python exception set on bad arguments. */
    resample_plan *(*plan_new)(int ndim, const Py_ssize_t *in_shape, const Py_ssize_t *in_strides,
                               int dtype, const Py_ssize_t *out_shape, int n_axes, const int *axes,
                               const double *scales, const char *mode, int antialias,
                               int align_corners);

    /* Release a plan (takes the GIL if not held). NULL is allowed. */
    void (*plan_free)(resample_plan *plan);

    /* The plan's rank and dtype, and its four shapes and strides (arrays of ndim entries;
     * NULL for any of them is allowed). No GIL needed. */
    void (*plan_layout)(const resample_plan *plan, int *ndim, int *dtype, Py_ssize_t *in_shape,
                        Py_ssize_t *in_strides, Py_ssize_t *out_shape, Py_ssize_t *out_strides);

    /* Resize src into dst with num_threads threads (>= 1; no global OpenMP setting is read
     * or changed). Shapes and strides, where given (NULL: the plan's), must be the plan's.
     * No GIL needed, thread-safe, never raises: returns RESAMPLE_OK or an error code. */
    int (*plan_apply)(const resample_plan *plan, const void *src, const Py_ssize_t *src_shape,
                      const Py_ssize_t *src_strides, void *dst, const Py_ssize_t *dst_shape,
                      const Py_ssize_t *dst_strides, int num_threads);

    /* A static description of a status code. */
    const char *(*status_message)(int status);
} resample_api;

/* Set by resample_import() in each translation unit that calls it. */
static const resample_api *resample_api_table = NULL;

static inline int resample_import(void)
{
    PyObject *module = PyImport_ImportModule("resample");
    PyObject *capsule;
    const resample_api *api;
    if (module == NULL)
        return -1;
    capsule = PyObject_GetAttrString(module, "_C_API");
    Py_DECREF(module);
    if (capsule == NULL)
        return -1;
    api = (const resample_api *)PyCapsule_GetPointer(capsule, "resample._C_API");
    Py_DECREF(capsule);          /* the table lives as long as resample's extension */
    if (api == NULL)
        return -1;
    if (api->version != RESAMPLE_API_VERSION || api->size < sizeof(resample_api)) {
        PyErr_Format(PyExc_ImportError,
                     "resample's C API is version %u (%u bytes); this module was built for "
                     "version %d (%u bytes): rebuild it against the installed resample",
                     api->version, api->size, RESAMPLE_API_VERSION, (unsigned)sizeof(resample_api));
        return -1;
    }
    resample_api_table = api;
    return 0;
}

static inline resample_plan *resample_plan_new(int ndim, const Py_ssize_t *in_shape,
                                               const Py_ssize_t *in_strides, int dtype,
                                               const Py_ssize_t *out_shape, int n_axes,
                                               const int *axes, const double *scales,
                                               const char *mode, int antialias, int align_corners)
{
    return resample_api_table->plan_new(ndim, in_shape, in_strides, dtype, out_shape, n_axes, axes,
                                        scales, mode, antialias, align_corners);
}

static inline void resample_plan_free(resample_plan *plan)
{
    resample_api_table->plan_free(plan);
}

static inline void resample_plan_layout(const resample_plan *plan, int *ndim, int *dtype,
                                        Py_ssize_t *in_shape, Py_ssize_t *in_strides,
                                        Py_ssize_t *out_shape, Py_ssize_t *out_strides)
{
    resample_api_table->plan_layout(plan, ndim, dtype, in_shape, in_strides, out_shape, out_strides);
}

static inline int resample_plan_apply(const resample_plan *plan, const void *src,
                                      const Py_ssize_t *src_shape, const Py_ssize_t *src_strides,
                                      void *dst, const Py_ssize_t *dst_shape,
                                      const Py_ssize_t *dst_strides, int num_threads)
{
    return resample_api_table->plan_apply(plan, src, src_shape, src_strides, dst, dst_shape,
                                          dst_strides, num_threads);
}

static inline const char *resample_status_message(int status)
{
    return resample_api_table->status_message(status);
}

#ifdef __cplusplus
}
#endif

#endif /* RESAMPLE_H */
