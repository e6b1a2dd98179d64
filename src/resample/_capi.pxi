# The C API (include/resample.h): a table of function pointers in a capsule. Plans are
# Programs (above) built by _image.embedded_plan with the GIL; applying one needs no GIL.

from cpython.ref cimport PyObject, Py_INCREF, Py_DECREF
from cpython.pycapsule cimport PyCapsule_New

cdef enum:
    MAX_NDIM = 32               # RESAMPLE_MAX_NDIM
    API_VERSION = 1             # RESAMPLE_API_VERSION
    STATUS_OK = 0
    STATUS_ARGUMENT = 1
    STATUS_SHAPE = 2
    STATUS_STRIDES = 3
    STATUS_MEMORY = 4


cdef struct CPlan:              # resample_plan
    PyObject* program           # a Program, owned
    const ProgramData* data
    int ndim, dtype
    Py_ssize_t in_shape[MAX_NDIM]
    Py_ssize_t in_strides[MAX_NDIM]
    Py_ssize_t out_shape[MAX_NDIM]
    Py_ssize_t out_strides[MAX_NDIM]


cdef struct CApi:               # resample_api; the functions' exact types are in the header
    unsigned int version
    unsigned int size
    void* plan_new
    void* plan_free
    void* plan_layout
    void* plan_apply
    void* status_message


# resample._embed.embedded_program, handed over by c_api(): the Python half that checks a
# resample_plan_new call and prepares its Program (kept here, so compiled code never
# imports a front door)
cdef object program_builder = None


cdef CPlan* capi_plan_new(int ndim, const Py_ssize_t* in_shape, const Py_ssize_t* in_strides,
                          int dtype, const Py_ssize_t* out_shape, int n_axes, const int* axes,
                          const double* scales, const char* mode, int antialias,
                          int align_corners) except NULL with gil:
    if not 1 <= ndim <= MAX_NDIM:
        raise ValueError(f"ndim must be 1 to {MAX_NDIM}, got {ndim}")
    if in_shape == NULL or out_shape == NULL or mode == NULL:
        raise ValueError("in_shape, out_shape and mode must not be NULL")
    if n_axes < 0 or (n_axes > 0 and axes == NULL) or (scales != NULL and n_axes == 0):
        raise ValueError(f"n_axes is {n_axes} but axes is {'NULL' if axes == NULL else 'given'}"
                         f"{' (scales need the axes named)' if scales != NULL else ''}")
    if program_builder is None:
        raise RuntimeError("resample's C API is not ready: import resample first")
    program, strides_in, strides_out = program_builder(
        [in_shape[i] for i in range(ndim)],
        None if in_strides == NULL else [in_strides[i] for i in range(ndim)],
        dtype, [out_shape[i] for i in range(ndim)],
        [axes[i] for i in range(n_axes)] if n_axes else None,
        None if scales == NULL else [scales[i] for i in range(n_axes)],
        mode.decode("utf-8", "replace"), antialias, align_corners)
    if not isinstance(program, Program):
        raise TypeError("the C API's program builder must return a Program of this kernel module")
    cdef CPlan* plan = <CPlan*>PyMem_RawCalloc(1, sizeof(CPlan))
    if plan == NULL:
        raise MemoryError()
    Py_INCREF(program)
    plan.program = <PyObject*>program
    plan.data = &(<Program>program).data
    plan.ndim, plan.dtype = ndim, dtype
    for i in range(ndim):
        plan.in_shape[i], plan.out_shape[i] = in_shape[i], out_shape[i]
        plan.in_strides[i], plan.out_strides[i] = strides_in[i], strides_out[i]
    return plan


cdef void capi_plan_free(CPlan* plan) noexcept with gil:
    if plan != NULL:
        Py_DECREF(<object>plan.program)
        PyMem_RawFree(plan)


cdef void capi_plan_layout(const CPlan* plan, int* ndim, int* dtype, Py_ssize_t* in_shape,
                           Py_ssize_t* in_strides, Py_ssize_t* out_shape,
                           Py_ssize_t* out_strides) noexcept nogil:
    cdef int i
    if ndim != NULL:
        ndim[0] = plan.ndim
    if dtype != NULL:
        dtype[0] = plan.dtype
    for i in range(plan.ndim):
        if in_shape != NULL:
            in_shape[i] = plan.in_shape[i]
        if in_strides != NULL:
            in_strides[i] = plan.in_strides[i]
        if out_shape != NULL:
            out_shape[i] = plan.out_shape[i]
        if out_strides != NULL:
            out_strides[i] = plan.out_strides[i]


cdef bint same_layout(int ndim, const Py_ssize_t* planned_shape, const Py_ssize_t* planned_strides,
                      const Py_ssize_t* shape, const Py_ssize_t* strides, int* status) noexcept nogil:
    """Whether a buffer's shape and strides (NULL: the plan's) are the plan's; strides of
    axes of length 1 do not matter."""
    cdef int i
    for i in range(ndim):
        if shape != NULL and shape[i] != planned_shape[i]:
            status[0] = STATUS_SHAPE
            return False
    for i in range(ndim):
        if strides != NULL and planned_shape[i] > 1 and strides[i] != planned_strides[i]:
            status[0] = STATUS_STRIDES
            return False
    return True


# GNU OpenMP's thread pool does not survive fork(): _runtime's after-fork hook asks whether
# an apply ran threads (then the child is held to one thread, as Python calls are).
cdef int threads_started = 0
cdef int one_thread = 0


def c_api_threads_started():
    """Whether a C API apply of this process ran on more than one thread."""
    return bool(threads_started)


def c_api_one_thread():
    """From now on every C API apply runs on one thread (a child forked after threads)."""
    global one_thread
    one_thread = 1


cdef int capi_plan_apply(const CPlan* plan, const void* src, const Py_ssize_t* src_shape,
                         const Py_ssize_t* src_strides, void* dst, const Py_ssize_t* dst_shape,
                         const Py_ssize_t* dst_strides, int num_threads) noexcept nogil:
    cdef int status = STATUS_OK
    if plan == NULL or num_threads < 1 or dst == NULL or (src == NULL and plan.data.in_bytes):
        return STATUS_ARGUMENT
    if not (same_layout(plan.ndim, plan.in_shape, plan.in_strides, src_shape, src_strides, &status)
            and same_layout(plan.ndim, plan.out_shape, plan.out_strides, dst_shape, dst_strides,
                            &status)):
        return status
    global threads_started
    if one_thread:
        num_threads = 1
    elif num_threads > 1:
        threads_started = 1
    if plan.data.out_bytes and run_program(plan.data, src, dst, num_threads):
        return STATUS_MEMORY
    return STATUS_OK


cdef const char* capi_status_message(int status) noexcept nogil:
    if status == STATUS_OK:
        return "success"
    if status == STATUS_ARGUMENT:
        return "a NULL plan or buffer, or a thread count below 1"
    if status == STATUS_SHAPE:
        return "a buffer's shape is not the one the plan was made for"
    if status == STATUS_STRIDES:
        return "a buffer's strides are not the ones the plan was made for"
    if status == STATUS_MEMORY:
        return "not enough memory for the working buffers (the output is incomplete)"
    return "unknown status"


cdef CApi C_API_TABLE
C_API_TABLE.version = API_VERSION
C_API_TABLE.size = sizeof(CApi)
C_API_TABLE.plan_new = <void*>capi_plan_new
C_API_TABLE.plan_free = <void*>capi_plan_free
C_API_TABLE.plan_layout = <void*>capi_plan_layout
C_API_TABLE.plan_apply = <void*>capi_plan_apply
C_API_TABLE.status_message = <void*>capi_status_message


def c_api(builder):
    """The C API's capsule ("resample._C_API"; see include/resample.h), whose plan_new
    calls builder(in_shape, in_strides, dtype, out_shape, axes, scales, mode, antialias,
    align_corners) -> (Program, input strides, output strides)."""
    global program_builder
    program_builder = builder
    return PyCapsule_New(&C_API_TABLE, b"resample._C_API", NULL)
