#!/usr/bin/env python3
"""Where a replica's CPU goes, from a call-graph perf.data (CALLGRAPH=1 bench/profile.sh): usage profile-stacks.py PERF_DATA PIDS [TOP].

Each sample of the given processes (comma-separated pids) is counted by its leaf (kernel, libsodium, CLR, managed), by
the loop it ran in (the outermost SmartChain.* frame of its stack: the consensus thread's pump, a link's receive loop,
the ledger loop, ...; none when only runtime frames are on it), by the system call its kernel stack is in, and by the
innermost SmartChain.* frame. Shares are of all the given processes' samples."""
import collections, re, subprocess, sys
data, pids = sys.argv[1], set(sys.argv[2].split(','))
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
p = subprocess.Popen(['perf', 'script', '-i', data, '-F', 'pid,tid,comm,ip,sym,dso'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors='replace')
comp = collections.Counter(); sysc = collections.Counter(); inner = collections.Counter(); leafcat = collections.Counter(); comp_sys = collections.Counter()
total = 0
def short(sym):
    m = re.search(r'(SmartChain\.[\w\.\+<>`]+)::([\w<>\.]+)', sym)
    if m: return m.group(1).split('.')[-1] + '::' + m.group(2)
    m = re.search(r'(SmartChain\.[\w\.\+<>`]+)', sym)
    return m.group(1) if m else sym[:80]
def flush(head, frames):
    global total
    if not head: return
    parts = head.split()
    pidtid = next((x for x in parts if '/' in x), None)
    pid = pidtid.split('/')[0] if pidtid else parts[-1]
    if pid not in pids: return
    total += 1
    syscall = None; ours = [x for x in frames if 'SmartChain.' in x]
    for f in frames:
        m = re.search(r'__x64_sys_(\w+)', f)
        if m: syscall = m.group(1); break
    if frames and '[kernel' in frames[0] and syscall is None:
        syscall = 'irq/other-kernel' if any('irq' in f or 'apic' in f for f in frames) else 'kernel-nosys'
    leaf = frames[0] if frames else ''
    cat = 'kernel' if '[kernel' in leaf else 'libsodium' if 'libsodium' in leaf else 'coreclr' if 'libcoreclr' in leaf else 'managed' if 'perf-' in leaf else 'other'
    leafcat[cat] += 1
    c = short(ours[-1]) if ours else ('threadpool/runtime' if any('ThreadPoolWorkQueue' in f or 'PortableThreadPool' in f or 'WorkerThread' in f for f in frames) else 'no-ours')
    comp[c] += 1
    if syscall: sysc[syscall] += 1; comp_sys[(c, syscall)] += 1
    inner[short(ours[0]) if ours else 'none'] += 1
head = None; frames = []
for line in p.stdout:
    if not line.strip():
        flush(head, frames); head = None; frames = []; continue
    if not line.startswith((' ', '\t')):
        flush(head, frames); head = line.strip(); frames = []
    else:
        frames.append(line.strip())
flush(head, frames)
print('samples', total)
for name, c in (('leaf category', leafcat), ('component (outermost SmartChain frame)', comp), ('syscall (kernel samples)', sysc), ('component x syscall', comp_sys), ('innermost SmartChain frame', inner)):
    print('\n##', name)
    for k, v in c.most_common(top):
        print(f'{100.0*v/total:6.2f}%  {k}')
