use std::path::Path;

fn main() {
    // The UI is embedded from ui/dist (tauri.conf.json's frontendDist); say how to make it rather
    // than letting the context macro fail obscurely in a fresh clone.
    let dist = Path::new("../ui/dist");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.is_dir() {
        panic!(
            "ui/dist is missing: build the UI first with `npm --prefix ui install && npm --prefix ui run build`"
        );
    }
    // tauri.conf.json lives at the repository root (the design card's layout); try_build reads the
    // config from the parent directory of this path, resolved against src-tauri/.
    if let Err(err) =
        tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
    {
        panic!("tauri-build failed: {err:#}");
    }
}
