/* countalloc_asan.c: the back-end of sanitizer builds (make SANITIZE=1). ASan owns malloc
 * there, so there is no header and no malloc family of ours: the counts come from the
 * sanitizer's malloc and free hooks. A realloc reaches them as a malloc and a free; no
 * allocation can be made to fail, so countalloc_can_inject() says false and the tests
 * that need injection skip, visibly. */
#include "countalloc_int.h"

int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
                                              void (*f)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

static void asan_malloc_hook(const volatile void *p, size_t n)
{
    count_alloc(n);
    HOOK(special(), NULL, 0, 0, (void *)p, n, NULL);
}

static void asan_free_hook(const volatile void *p)
{
    size_t n = __sanitizer_get_allocated_size(p);

    HOOK(special(), (void *)p, n, 0, NULL, 0, NULL);
    count_free(n);
}

__attribute__((constructor(102))) static void countalloc_asan_init(void)
{
    __sanitizer_install_malloc_and_free_hooks(asan_malloc_hook, asan_free_hook);
}

bool countalloc_can_inject(void)
{
    return false;
}

uint32_t *countalloc_tag(void *p)
{
    (void)p;
    return NULL; /* no header of ours in sanitizer builds */
}
