# resample's C API for Cython: `from resample.capi cimport *` (the extension needs
# include_dirs=[resample.get_include()]). Call resample_import() once at module level,
# then build plans with the GIL and apply them from any thread without it. The types and
# the rules are documented in include/resample.h.

cdef extern from "resample.h":
    ctypedef struct resample_plan:
        pass

    enum:
        RESAMPLE_API_VERSION
        RESAMPLE_MAX_NDIM
        RESAMPLE_UINT8
        RESAMPLE_INT16
        RESAMPLE_UINT16
        RESAMPLE_FLOAT16
        RESAMPLE_FLOAT32
        RESAMPLE_FLOAT64
        RESAMPLE_OK
        RESAMPLE_ERROR_ARGUMENT
        RESAMPLE_ERROR_SHAPE
        RESAMPLE_ERROR_STRIDES
        RESAMPLE_ERROR_MEMORY

    int resample_import() except -1
    resample_plan* resample_plan_new(int ndim, const Py_ssize_t* in_shape,
                                     const Py_ssize_t* in_strides, int dtype,
                                     const Py_ssize_t* out_shape, int n_axes, const int* axes,
                                     const double* scales, const char* mode, int antialias,
                                     int align_corners) except NULL
    void resample_plan_free(resample_plan* plan)
    void resample_plan_layout(const resample_plan* plan, int* ndim, int* dtype,
                              Py_ssize_t* in_shape, Py_ssize_t* in_strides,
                              Py_ssize_t* out_shape, Py_ssize_t* out_strides) nogil
    int resample_plan_apply(const resample_plan* plan, const void* src,
                            const Py_ssize_t* src_shape, const Py_ssize_t* src_strides,
                            void* dst, const Py_ssize_t* dst_shape,
                            const Py_ssize_t* dst_strides, int num_threads) nogil
    const char* resample_status_message(int status) nogil
