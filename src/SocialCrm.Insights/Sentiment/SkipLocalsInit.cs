using System.Runtime.CompilerServices;

// Stack buffers (tokens, collapsed words) are always written before they are read, so the runtime
// need not zero them on every call.
[module: SkipLocalsInit]
