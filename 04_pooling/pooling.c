/* pooling.c: the work both implementations share; it allocates nothing. */
#include "pooling.h"

#include <string.h>

size_t pooling_respond(char *buf, uint64_t id)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nX-Request: ";
    char digits[20];
    size_t len = sizeof head - 1, nd = 0;

    memcpy(buf, head, len);
    do {
        digits[nd++] = (char)('0' + id % 10);
        id /= 10;
    } while (id != 0);
    while (nd > 0)
        buf[len++] = digits[--nd];
    memcpy(buf + len, "\r\n\r\n", 4);
    return len + 4;
}

void pooling_node_fill(struct node *nd, uint64_t key, struct node *next)
{
    nd->next = next;
    nd->key = key * 2654435761u;
    memset(nd->payload, (int)(key & 0x7f), sizeof nd->payload);
}
