/* resize_into(src, dst, mode, antialias): resize any buffer-protocol array into another of
 * the same rank and type with resample's C API (resample.h), without the GIL while it runs. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "resample.h"

static int dtype_code(const char *format)
{
    if (format[0] == '<' || format[0] == '=' || format[0] == '@')
        format++;
    if (strcmp(format, "B") == 0) return RESAMPLE_UINT8;
    if (strcmp(format, "h") == 0) return RESAMPLE_INT16;
    if (strcmp(format, "H") == 0) return RESAMPLE_UINT16;
    if (strcmp(format, "e") == 0) return RESAMPLE_FLOAT16;
    if (strcmp(format, "f") == 0) return RESAMPLE_FLOAT32;
    if (strcmp(format, "d") == 0) return RESAMPLE_FLOAT64;
    return 0;
}

static PyObject *resize_into(PyObject *self, PyObject *args)
{
    PyObject *src_obj, *dst_obj, *result = NULL;
    const char *mode;
    int antialias, status, dtype;
    Py_buffer src, dst;
    resample_plan *plan;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOsp", &src_obj, &dst_obj, &mode, &antialias))
        return NULL;
    if (PyObject_GetBuffer(src_obj, &src, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
        return NULL;
    if (PyObject_GetBuffer(dst_obj, &dst, PyBUF_STRIDES | PyBUF_FORMAT | PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&src);
        return NULL;
    }
    dtype = dtype_code(src.format);
    if (dtype == 0 || dtype != dtype_code(dst.format) || src.ndim != dst.ndim) {
        PyErr_SetString(PyExc_TypeError, "src and dst need one rank and one of resample's dtypes");
        goto done;
    }
    /* dst must have the layout the plan gives the output (the input's), checked below */
    plan = resample_plan_new(src.ndim, src.shape, src.strides, dtype, dst.shape, 0, NULL, NULL,
                             mode, antialias, -1);
    if (plan == NULL)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = resample_plan_apply(plan, src.buf, src.shape, src.strides, dst.buf, dst.shape,
                                 dst.strides, 2);
    Py_END_ALLOW_THREADS
    resample_plan_free(plan);
    if (status != RESAMPLE_OK) {
        PyErr_SetString(PyExc_ValueError, resample_status_message(status));
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&src);
    PyBuffer_Release(&dst);
    return result;
}

static PyMethodDef methods[] = {
    {"resize_into", resize_into, METH_VARARGS,
     "resize_into(src, dst, mode, antialias): resize src into dst (the shape it gives, the "
     "input's layout) with resample's C API."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_capsule", NULL, -1, methods};

PyMODINIT_FUNC PyInit__capsule(void)
{
    if (resample_import() < 0)
        return NULL;
    return PyModule_Create(&module);
}
