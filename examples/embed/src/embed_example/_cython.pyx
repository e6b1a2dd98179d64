# Resize a list of images with one resample plan, in a nogil prange: each image on its own
# thread, every call to the plan without the GIL.
from cython.parallel cimport prange
from libc.stdint cimport uintptr_t
from libc.stdlib cimport free, malloc

from resample.capi cimport (RESAMPLE_FLOAT32, RESAMPLE_OK, RESAMPLE_UINT8, resample_import,
                            resample_plan, resample_plan_apply, resample_plan_free,
                            resample_plan_new, resample_status_message)

import numpy as np

resample_import()


def resize_many(images, Py_ssize_t height, Py_ssize_t width, str mode="linear",
                bint antialias=True, int threads=4):
    """Resize equally shaped (H, W, C) C-contiguous uint8 or float32 images to (height,
    width), one plan for all, the images in parallel. Returns a list of arrays."""
    cdef Py_ssize_t n = len(images), i
    if n == 0:
        return []
    first = images[0]
    cdef int dtype = RESAMPLE_UINT8 if first.dtype == np.uint8 else RESAMPLE_FLOAT32
    cdef Py_ssize_t in_shape[3]
    cdef Py_ssize_t out_shape[3]
    for i in range(3):
        in_shape[i] = first.shape[i]
        out_shape[i] = first.shape[i]
    out_shape[0], out_shape[1] = height, width
    outputs = [np.empty((height, width, first.shape[2]), first.dtype) for _ in range(n)]
    for image in images:
        if image.shape != first.shape or image.dtype != first.dtype or not image.flags.c_contiguous:
            raise ValueError("images must share one shape and dtype and be C-contiguous")
    cdef resample_plan* plan = resample_plan_new(3, in_shape, NULL, dtype, out_shape, 0, NULL,
                                                 NULL, mode.encode(), antialias, -1)
    cdef const void** src = <const void**>malloc(n * sizeof(void*))
    cdef void** dst = <void**>malloc(n * sizeof(void*))
    cdef int* status = <int*>malloc(n * sizeof(int))
    try:
        if src == NULL or dst == NULL or status == NULL:
            raise MemoryError()
        for i in range(n):
            src[i] = <const void*><uintptr_t>images[i].ctypes.data
            dst[i] = <void*><uintptr_t>outputs[i].ctypes.data
        for i in prange(n, nogil=True, num_threads=threads, schedule="dynamic"):
            status[i] = resample_plan_apply(plan, src[i], NULL, NULL, dst[i], NULL, NULL, 1)
        for i in range(n):
            if status[i] != RESAMPLE_OK:
                raise RuntimeError(resample_status_message(status[i]).decode())
    finally:
        free(src)
        free(dst)
        free(status)
        resample_plan_free(plan)
    return outputs
