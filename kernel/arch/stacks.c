/* stacks.c — registry of kernel stacks, so a fault can say "overflow of the
 * IST1 stack". */
#include "kernel/arch/stacks.h"

static struct known_stack stacks[MAX_KNOWN_STACKS];
static int nstacks;

void stack_register(const char *name, uint64_t guard, uint64_t bottom,
		    uint64_t top)
{
	if (nstacks == MAX_KNOWN_STACKS)
		return;
	stacks[nstacks++] = (struct known_stack){name, guard, bottom, top};
}

const struct known_stack *stack_get(int i)
{
	return i >= 0 && i < nstacks ? &stacks[i] : 0;
}

const struct known_stack *stack_find(uint64_t addr, int *in_guard)
{
	for (int i = 0; i < nstacks; i++) {
		const struct known_stack *s = &stacks[i];
		if (s->guard && addr >= s->guard && addr < s->guard + 4096) {
			*in_guard = 1;
			return s;
		}
		if (addr >= s->bottom && addr < s->top) {
			*in_guard = 0;
			return s;
		}
	}
	return 0;
}
