/* Vigil's entry point: command line, start-up and shutdown order. */
int main(void) { return 0; }
