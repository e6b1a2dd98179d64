# Repeated calls (_engine.repeat): the key of a call and, for a call seen before, its
# program run into a new output, compiled, since for a small image this is the whole
# cost of the call. _engine holds the table and decides what is remembered.

# the argument types a key holds as they are (values and types both in the key)
cdef frozenset _PLAIN_KINDS = frozenset((type(None), int, float, bool, str))
cdef object _ndarray = np.ndarray


cpdef call_key(function, x, out, tuple arguments, kernels):
    """The known-call key of a call (what it holds: the comment at _engine._KNOWN_CALLS), or
    None: not remembered."""
    if out is not None or type(x) is not _ndarray or not x.flags.aligned:
        return None
    cdef Py_ssize_t i, n = len(arguments)
    cdef list kinds = [None] * n
    cdef list values = None
    for i in range(n):
        v = arguments[i]
        kind = type(v)
        if kind in _PLAIN_KINDS:
            kinds[i] = kind
        elif kind is tuple or kind is list:
            inner = tuple([type(e) for e in v])
            if not _PLAIN_KINDS.issuperset(inner):
                return None
            if values is None:
                values = list(arguments)
            values[i] = tuple(v)
            kinds[i] = (kind, inner)
        else:
            return None
    return (function, x.shape, x.strides, x.dtype,
            arguments if values is None else tuple(values), tuple(kinds), kernels)


cdef class KnownCall:
    """A remembered call: its program and its output's memory layout (perm: the axis
    order in which the output is C-contiguous)."""
    cdef Program program
    cdef tuple memory_shape, perm, inverse
    cdef bint in_place
    cdef object allocate

    def __init__(self, Program program, tuple memory_shape, tuple perm, allocate):
        self.program, self.memory_shape, self.perm = program, memory_shape, perm
        self.inverse = tuple([perm.index(axis) for axis in range(len(perm))])
        self.in_place = perm == tuple(range(len(perm)))
        self.allocate = allocate        # (memory shape, dtype) -> a new output

    def run(self, x, int threads):
        """The result for x (the input of the remembered call's shape, strides and dtype)."""
        out = self.allocate(self.memory_shape, x.dtype)
        if self.in_place:
            self.program.run(x, out, threads)
            return out
        self.program.run(x.transpose(self.perm).reshape(-1), out.reshape(-1), threads)
        return out.transpose(self.inverse)


def repeat_known(dict calls, function, x, out, tuple arguments, num_threads, kernels, resolve):
    """_engine.repeat's (result, key): the call's key, and where `calls` holds it, its
    program run into a new output with `resolve(num_threads)` threads (one thread, the most
    common ask, without the call)."""
    key = call_key(function, x, out, arguments, kernels)
    if key is None:
        return None, None
    known = calls.get(key)
    if known is None:
        return None, key
    threads = 1 if type(num_threads) is int and num_threads == 1 else resolve(num_threads)
    return (<KnownCall>known).run(x, threads), key
