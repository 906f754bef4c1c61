package org.fabai.apc.thread;

class InMemoryStoreTest extends StoreContractTest {
    @Override
    ThreadStateStore open() {
        return new InMemoryThreadStateStore();
    }
}
