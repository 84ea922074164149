fn main() {
    // tauri.conf.json lives at the repository root (the design card's layout); try_build reads the
    // config from the parent directory of this path, resolved against src-tauri/.
    if let Err(err) =
        tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
    {
        panic!("tauri-build failed: {err:#}");
    }
}
