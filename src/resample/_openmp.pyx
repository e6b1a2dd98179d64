"""The one place that knows about OpenMP: whether it is compiled in, and thread counts."""

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    static int resample_openmp_version(void) { return _OPENMP; }
    static int resample_default_threads(void) { return omp_get_max_threads(); }
    static int resample_team_size(int requested) {
        int team = 1;
        #pragma omp parallel num_threads(requested)
        {
            #pragma omp single
            team = omp_get_num_threads();
        }
        return team;
    }
    #else
    static int resample_openmp_version(void) { return 0; }
    static int resample_default_threads(void) { return 1; }
    static int resample_team_size(int requested) { return 1; }
    #endif
    """
    int resample_openmp_version()
    int resample_default_threads()
    int resample_team_size(int requested) nogil


def openmp_version():
    """The _OPENMP date macro the kernels were compiled with (e.g. 201511), 0 if serial."""
    return resample_openmp_version()


def default_threads():
    """Threads a kernel uses when num_threads is None (OMP_NUM_THREADS, threadpoolctl)."""
    return resample_default_threads()


def team_size(int requested):
    """How many threads a parallel region asking for `requested` really gets (1 if serial)."""
    cdef int team
    with nogil:
        team = resample_team_size(requested)
    return team
