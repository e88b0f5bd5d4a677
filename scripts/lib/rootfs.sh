# Sourced by the image builders (scripts/build-images.sh, examples/quickstart/build-images.sh):
# root filesystems for `docker import`, from the host's Debian packages.

# rootfs_busybox DIR: a busybox userland (static busybox, applet links, passwd/group, /tmp).
rootfs_busybox() {
  mkdir -p "$1"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,proc,sys,dev,tmp,root,var/www,data}
  cp "$(command -v busybox)" "$1/bin/busybox"
  chroot "$1" /bin/busybox --install -s
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
  printf 'hosts: files dns\n' >"$1/etc/nsswitch.conf"
  chmod 1777 "$1/tmp"
}

# copy_with_libs DIR BINARY...: the host binaries and the shared libraries they link, at the same paths.
copy_with_libs() {
  local dir="$1"; shift
  for f in "$@" $(ldd "$@" | grep -oE '/[^ :]+\.so[^ ]*' | sort -u); do
    mkdir -p "$dir$(dirname "$f")"
    cp -L "$f" "$dir$f"
  done
}
