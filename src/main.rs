fn main() {
    tradeoffs::start();
}
