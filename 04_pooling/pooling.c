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

uint64_t pooling_digest(uint64_t h, const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t w;

    for (; len >= 8; s += 8, len -= 8) { /* a word at a time: the digest must stay cheap */
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x100000001b3u;
    }
    for (; len > 0; s++, len--)
        h = (h ^ *s) * 0x100000001b3u;
    return h;
}

void pooling_node_fill(struct node *nd, uint64_t key, struct node *next)
{
    nd->next = next;
    nd->key = key * 2654435761u;
    memset(nd->payload, (int)(key & 0x7f), sizeof nd->payload);
}
